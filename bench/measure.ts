// Shared by `npm run bench` and the size budget test: interleaved timing rounds
// against a loopback server in another process, and bundle sizes.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Plugin } from "esbuild";

export interface LoopbackServer {
  url: string;
  stop(): void;
}

/** The answering server, in its own process so its work is not timed as ours. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const { child, message } = forkForMessage<{ port: number }>("server.ts");
  const { port } = await message;
  return { url: `http://127.0.0.1:${port}`, stop: () => child.disconnect() };
}

/** Runs a module of this folder in a Node process of its own and waits for the first message it sends. */
export function forkForMessage<T>(file: string): { child: ChildProcess; message: Promise<T> } {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const message = new Promise<T>((resolve, reject) => {
    child.once("message", (value) => resolve(value as T));
    child.once("error", reject);
    // "close" comes after the IPC channel has ended, so after any message.
    child.once("close", (code, signal) => reject(new Error(`bench/${file} ended (${signal ?? code}) without a message`)));
  });
  return { child, message };
}

type Contender = () => Promise<unknown>;

/**
 * The baseline: the same PUT the client sends, written by hand with the
 * platform's fetch, its body read; with `signal`, carrying a timeout too.
 */
export async function bareFetchPut(url: string, body: unknown, { timeoutMs }: { timeoutMs?: number } = {}) {
  const controller = timeoutMs === undefined ? undefined : new AbortController();
  const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: controller?.signal,
    });
    await response.arrayBuffer();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs each contender `perRound` times per round, in an order that rotates
 * every round, and returns each one's time per call in microseconds, one
 * sample per round. Interleaving spreads the machine's noise evenly over the
 * contenders.
 */
export async function interleavedRounds(
  contenders: Record<string, Contender>,
  { rounds = 30, perRound = 200, warmup = 500 } = {},
): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders);
  for (let i = 0; i < warmup; i++) for (const name of names) await contenders[name]!();
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      const run = contenders[name]!;
      const started = performance.now();
      for (let i = 0; i < perRound; i++) await run();
      samples[name]!.push(((performance.now() - started) * 1000) / perRound);
    }
  }
  return samples;
}

/** A contender's time divided by the baseline's in the same round, round by round. */
export const roundRatios = (samples: number[], baseline: number[]) => samples.map((time, round) => time / baseline[round]!);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A rate limit no measurement reaches: the client runs with its limiter on,
 * so its bookkeeping is measured, never a wait for a turn.
 */
export const unreachedRateLimit = { requests: 1_000_000, perMs: 1_000 };

/** The client entry, bundled with its dependencies for a platform with no Node built-ins. */
export const clientBundle = {
  entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  logLevel: "silent",
} satisfies BuildOptions;

// The client with its validation module swapped for one that finds nothing.
const withoutValidation: Plugin = {
  name: "without-validation",
  setup(build) {
    build.onResolve({ filter: /\/validation\.js$/ }, () => ({ path: "validation", namespace: "stub" }));
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents:
        "export class RequestValidationError extends Error {}\nexport const requestIssues = () => [];\nexport const isOperation = () => true;\nexport const queryNames = () => [];",
    }));
  },
};

/** The client entry, bundled with its dependencies as a browser app would ship it: minified, then gzipped. */
export async function entrySize({ validation = true } = {}): Promise<{ minified: number; gzipped: number }> {
  const result = await build({ ...clientBundle, minify: true, plugins: validation ? [] : [withoutValidation] });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
