import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

/**
 * A V8 CPU profile of this process between start and stop, and beside it
 * (`<file>.heapprofile`) a sampling profile of what was allocated where, the
 * source of the garbage collector's work (open either in Chrome DevTools or
 * speedscope). Lets the bench profile only the measured ticks, not the
 * seeding before them.
 */
export async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("HeapProfiler.enable");
  // Every sample kept, including objects already collected: GC cost follows what is allocated, not what survives.
  await session.post("HeapProfiler.startSampling", { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    const { profile: allocations } = await session.post("HeapProfiler.stopSampling");
    await writeFile(file, JSON.stringify(profile));
    await writeFile(`${file}.heapprofile`, JSON.stringify(allocations));
    session.disconnect();
  };
}
