// The client entry uses web-standard APIs only, so it runs unchanged in Node
// 20+, browsers, Deno, Bun and edge runtimes.
import { build } from "esbuild";
import { expect, it } from "vitest";
import { clientBundle } from "../bench/measure.js";

it("bundles, with openapi-fetch, for a platform that has no Node built-ins", async () => {
  const result = await build(clientBundle);
  expect(result.errors).toEqual([]);
});

it("our own code touches no Node global", async () => {
  const result = await build({ ...clientBundle, external: ["openapi-fetch"] });
  // Text inside string literals (Ajv's helpers name themselves in one) is not code.
  const code = result.outputFiles![0]!.text.replace(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, '""');
  expect(code).not.toMatch(/\brequire\(|\bprocess\b|\bBuffer\b|\b__dirname\b|\bglobal\./);
});
