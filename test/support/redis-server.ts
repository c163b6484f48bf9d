// A real redis-server (Debian's package) on a free loopback port, for tests
// that share state across processes: with no persistence, or saving
// snapshots to a directory as Debian's default configuration does.
import { spawn } from "node:child_process";
import { freePort } from "../../src/proxy/ports.js";

export interface RedisServer {
  port: number;
  /** Stops it (SIGTERM), or kills it at once (SIGKILL), data and all. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * Save snapshots to this directory, on the save points of Debian's
   * /etc/redis/redis.conf (and on SIGTERM), and load the one there at start.
   */
  snapshotsIn?: string;
}

// Debian's redis.conf: save 3600 1 300 100 60 10000.
const debianSavePoints = "3600 1 300 100 60 10000";

/** On a free port, or on `port` again (a restart). */
export async function startRedisServer(port?: number, { snapshotsIn }: RedisServerOptions = {}): Promise<RedisServer> {
  port ??= await freePort();
  const persistence = snapshotsIn ? ["--save", debianSavePoints, "--dir", snapshotsIn, "--dbfilename", "dump.rdb"] : ["--save", ""];
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", ...persistence, "--appendonly", "no"], {
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
