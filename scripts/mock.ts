// Starts Prism's mock of this repository's spec, with its plugin built from
// the sources, and waits until it answers. Used by `npm start` and by the
// contract tests' global setup.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startMock as startMockOf, type RunningMock } from "../src/mock/start.js";
import { specUrl } from "./spec.js";

export { checkPortFree, freePort } from "../src/proxy/ports.js";
export { mockBanner } from "../src/mock/start.js";

const preloadSource = fileURLToPath(new URL("../src/mock/prism-preload.ts", import.meta.url));
const preload = fileURLToPath(new URL("../build/mock/prism-preload.cjs", import.meta.url));

/**
 * Builds what the package ships as `prism-preload.cjs` (src/mock/prism-preload.ts)
 * where Prism can require it; the package build (tsup) makes the same file.
 */
async function buildPreload() {
  await build({ entryPoints: [preloadSource], outfile: preload, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "silent" });
}

interface MockOptions {
  port: number;
  host?: string;
  log?: boolean;
  /** Another copy of the spec and of its Prism plugin (an installed package's); by default this repository's, the plugin built first. */
  installed?: { spec: string; preload: string };
}

export async function startMock({ installed, ...options }: MockOptions): Promise<RunningMock> {
  if (!installed) await buildPreload();
  return startMockOf({ ...options, ...(installed ?? { spec: fileURLToPath(specUrl), preload }) });
}
