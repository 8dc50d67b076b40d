import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

/**
 * A V8 CPU profile of this process between start and stop (open it in
 * Chrome DevTools or speedscope). Lets the bench profile only the measured
 * ticks, not the seeding before them.
 */
export async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
