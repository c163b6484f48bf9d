// A deterministic budget: the size of what an app bundles. Times and cost
// ratios live in `npm run bench` (BENCHMARKS.md), never here: this machine
// is shared and noisy, and a timing bound in a test flakes.
import { expect, it } from "vitest";
import { entrySize } from "../bench/measure.js";

it("the client entry with validation stays within 16 kB minified and gzipped", async () => {
  const { gzipped } = await entrySize();
  expect(gzipped).toBeLessThanOrEqual(16_000);
});
