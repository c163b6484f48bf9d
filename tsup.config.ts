// What the package ships: the client, its shared Redis rate limiter, the
// calendar-date helpers and the
// fake account for users' tests (ESM and CommonJS, neutral platform, with
// types), the Prism plugin a user's mock loads, and the command (mock and
// conformance proxy).
import { defineConfig } from "tsup";

export default defineConfig([
  { entry: ["src/index.ts"], format: ["esm", "cjs"], dts: true, target: "es2022", platform: "neutral" },
  // On its own, so that neither entry loads a chunk shared with the other.
  { entry: ["src/redis.ts"], format: ["esm", "cjs"], dts: true, target: "es2022", platform: "neutral" },
  { entry: ["src/dates.ts"], format: ["esm", "cjs"], dts: true, target: "es2022", platform: "neutral" },
  { entry: { testing: "src/testing/index.ts" }, format: ["esm", "cjs"], dts: true, target: "es2022", platform: "neutral", external: ["msw"], shims: true },
  { entry: { "prism-preload": "src/mock/prism-preload.ts" }, format: ["cjs"], target: "node20", platform: "node" },
  { entry: { cli: "src/cli.ts" }, format: ["esm"], target: "node20", platform: "node" },
]);
