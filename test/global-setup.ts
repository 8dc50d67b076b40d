import { buildGateway } from "../scripts/build.ts";

/** The tests that start gateway processes start what `npm start` runs: the bundle in dist/, built once here. */
export default async function setup(): Promise<void> {
  await buildGateway();
}
