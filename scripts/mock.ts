// Starts Prism's mock of the spec and waits until it answers. Used by
// `npm start` and by the contract tests' global setup.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { checkPortFree } from "../src/proxy/ports.js";
import { specUrl } from "./spec.js";

export { checkPortFree, freePort } from "../src/proxy/ports.js";

const prismBin = fileURLToPath(new URL("../node_modules/.bin/prism", import.meta.url));
const preloadSource = fileURLToPath(new URL("../src/mock/prism-preload.ts", import.meta.url));
const preload = fileURLToPath(new URL("../build/mock/prism-preload.cjs", import.meta.url));

/**
 * Builds what the package ships as `prism-preload.cjs` (src/mock/prism-preload.ts)
 * where Prism can require it; the package build (tsup) makes the same file.
 */
async function buildPreload() {
  await build({ entryPoints: [preloadSource], outfile: preload, bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "silent" });
}

interface RunningMock {
  url: string;
  process: ChildProcess;
  /** The end of what Prism has printed (all of it when `log` is on: that went to the terminal), to show when it fails. */
  output(): string;
  stop(): Promise<void>;
}

/** How much of Prism's output is kept: its last words, not its request log. */
const outputKept = 64 * 1024;

/** Keeps the last `limit` characters or so of a stream of chunks. */
function tail(limit: number) {
  const chunks: string[] = [];
  let size = 0;
  return {
    add(chunk: Buffer | string) {
      chunks.push(String(chunk));
      size += chunks.at(-1)!.length;
      while (chunks.length > 1 && size - chunks[0]!.length >= limit) size -= chunks.shift()!.length;
    },
    text: () => chunks.join(""),
  };
}

interface MockOptions {
  port: number;
  host?: string;
  log?: boolean;
  /** Another copy of the spec and of its Prism plugin (an installed package's); by default this repository's, the plugin built first. */
  installed?: { spec: string; preload: string };
}

export async function startMock({ port, host = "127.0.0.1", log = false, installed }: MockOptions) {
  await checkPortFree(port, host);
  if (!installed) await buildPreload();
  const { spec, preload: plugin } = installed ?? { spec: fileURLToPath(specUrl), preload };
  const child = spawn(prismBin, ["mock", "--host", host, "--port", String(port), spec], {
    // Prism says why it stops on its standard output, and adds its usage text on its standard error.
    stdio: ["ignore", log ? "inherit" : "pipe", log ? "inherit" : "pipe"],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(plugin)}`.trim() },
  });
  const output = tail(outputKept);
  child.stdout?.on("data", output.add);
  child.stderr?.on("data", output.add);
  // "close", not "exit": by then everything Prism printed has been read.
  const exited = new Promise<never>((_, reject) =>
    child.once("close", (code) => reject(new Error(`Prism exited (${code}) before it answered:\n${output.text().trim()}`))),
  );
  const url = `http://${host}:${port}`;
  const mock: RunningMock = {
    url,
    process: child,
    output: output.text,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
  try {
    await Promise.race([exited, waitUntilAnswering(url, 60_000)]);
  } catch (error) {
    await mock.stop();
    throw error;
  }
  exited.catch(() => {});
  return mock;
}

async function waitUntilAnswering(url: string, withinMs: number) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    // Any HTTP answer (a 401 here, since no key is sent) means Prism is serving.
    const answered = await fetch(`${url}/clients/1.json`, { method: "PUT" }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Prism did not answer at ${url} within ${withinMs} ms`);
}
