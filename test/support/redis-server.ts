// A real redis-server (Debian's package) on a free loopback port, with no
// persistence, for tests that share state across processes.
import { spawn } from "node:child_process";
import { freePort } from "../../src/proxy/ports.js";

export interface RedisServer {
  port: number;
  /** Stops it (SIGTERM), or kills it at once (SIGKILL), data and all. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** On a free port, or on `port` again (a restart). */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`redis-server could not start (is Debian's redis-server installed?): ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
  });
  return {
    port,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
