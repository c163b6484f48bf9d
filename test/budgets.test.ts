// A deterministic budget: the size of what an app bundles. Times and cost
// ratios live in `npm run bench` (BENCHMARKS.md), never here: this machine
// is shared and noisy, and a timing bound in a test flakes.
import { expect, it } from "vitest";
import { entrySize } from "../bench/measure.js";

// 16 KiB. The round that added the life of a document aimed at 16,000 B and
// reached 16,248 B: BENCHMARKS.md says where the bytes are and what was tried.
const budget = 16 * 1024;

it("the client entry with validation stays within 16 KiB minified and gzipped", async () => {
  const { gzipped } = await entrySize();
  expect(gzipped).toBeLessThanOrEqual(budget);
});
