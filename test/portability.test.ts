// The client entry uses web-standard APIs only, so it runs unchanged in Node
// 20+, browsers, Deno, Bun and edge runtimes.
import { build, type BuildOptions } from "esbuild";
import { expect, it } from "vitest";

const entry: BuildOptions = {
  entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
  bundle: true,
  write: false,
  platform: "neutral",
  format: "esm",
  mainFields: ["module", "main"],
  logLevel: "silent",
};

it("bundles, with openapi-fetch, for a platform that has no Node built-ins", async () => {
  const result = await build(entry);
  expect(result.errors).toEqual([]);
});

it("our own code touches no Node global", async () => {
  const result = await build({ ...entry, external: ["openapi-fetch"] });
  // Text inside string literals (Ajv's helpers name themselves in one) is not code.
  const code = result.outputFiles![0]!.text.replace(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, '""');
  expect(code).not.toMatch(/\brequire\(|\bprocess\b|\bBuffer\b|\b__dirname\b|\bglobal\./);
});
