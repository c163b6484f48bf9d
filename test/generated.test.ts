// generated/ is never edited by hand: it must be exactly what the spec produces today.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { renderGenerated } from "../scripts/generate.js";

it("generated/ matches `npm run generate` (run it and commit the result)", async () => {
  const expected = await renderGenerated();
  for (const [name, text] of Object.entries(expected)) {
    const committed = await readFile(new URL(`../generated/${name}`, import.meta.url), "utf8");
    expect(committed, `generated/${name} is stale`).toBe(text);
  }
});
