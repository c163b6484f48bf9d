// Starts Prism's mock of a spec with the package's plugin, ending with this
// process, waits until it answers, and says what it is: used by the mock
// command, by `npm start` and by the tests' setup.
import type { ChildProcess } from "node:child_process";
import { spawnPrism } from "../prism.js";
import { checkPortFree } from "../proxy/ports.js";

export interface RunningMock {
  url: string;
  process: ChildProcess;
  /** The end of what Prism has printed (nothing when `log` is on: that went to the terminal), to show when it fails. */
  output(): string;
  stop(): Promise<void>;
}

export interface MockOptions {
  port: number;
  host?: string;
  /** Prism's own request log on this process's output. */
  log?: boolean;
  /** The spec and the Prism plugin (prism-preload.cjs) to load. */
  spec: string;
  preload: string;
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

/** What the mock at `url` is and how to try it, the same lines wherever it is started. */
export function mockBanner(url: string): string {
  return `  Mock (Prism, validating requests): ${url}
    any API key will do; a Prefer header asks for another answer: -H 'Prefer: code=404'
    try: curl -X PUT '${url}/clients/42.json?api_key=any' -H 'content-type: application/json' \\
           -d '{"client":{"name":"Client Name","code":"12345"}}'`;
}

export async function startMock({ port, host = "127.0.0.1", log = false, spec, preload }: MockOptions): Promise<RunningMock> {
  await checkPortFree(port, host);
  // Prism says why it stops on its standard output, and adds its usage text on its standard error.
  const child = spawnPrism(["mock", "--host", host, "--port", String(port), spec], log ? "inherit" : "pipe", {
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(preload)}`.trim() },
  });
  const output = tail(outputKept);
  child.stdout?.on("data", output.add);
  child.stderr?.on("data", output.add);
  // "close", not "exit": by then everything Prism printed has been read.
  const exited = new Promise<never>((_, reject) =>
    child.once("close", (code) => reject(new Error(`Prism exited (${code}) before it answered:\n${output.text().trim()}`))),
  );
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
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
