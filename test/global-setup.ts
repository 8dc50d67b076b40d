import { fileURLToPath } from "node:url";
import { bundle } from "../scripts/build.ts";

/** The tests that start gateway processes start what `npm start` runs: the bundle in dist/, built once here. */
export default async function setup(): Promise<void> {
  const root = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url));
  await bundle(root("src/main.ts"), root("dist/main.mjs"));
}
