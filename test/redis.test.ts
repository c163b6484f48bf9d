// Several processes updating one account through a limit shared in a real
// redis-server: none of them meets a 429, and every update is applied once.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedisRateLimiter } from "../src/redis.js";
import { startLimitedServer, type LimitedServer } from "./support/limited-server.js";
import { startRedisServer, type RedisServer } from "./support/redis-server.js";

const run = promisify(execFile);
const worker = fileURLToPath(new URL("./support/bulk-worker.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

let redis: RedisServer;
let server: LimitedServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

it("4 processes, 60 updates each, one shared limit of 60 a second: no 429, nothing lost, each applied once", async () => {
  server = await startLimitedServer({ requests: 60, perMs: 1_000 });
  const processes = [0, 1, 2, 3].map((n) => run(tsx, [worker, server.url, String(redis.port), String(1 + n * 1000), "60", "60", "1000"]));
  const reports = (await Promise.all(processes)).map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as { failed: string[]; waits: string[] });
  expect(reports.flatMap((report) => report.failed)).toEqual([]);
  expect(server.refused).toBe(0);
  expect(server.served).toBe(240);
  expect(server.applied.size).toBe(240);
  expect([...server.applied.values()].every((times) => times === 1)).toBe(true);
  expect(server.busiestWindow).toBeLessThanOrEqual(60);
  expect(reports.flatMap((report) => report.waits)).not.toContain("rate_limited");
}, 60_000);

it("a call aborted while it waits for a shared turn rejects at once with the reason, and takes no turn", async () => {
  const client = new Redis(redis.port, "127.0.0.1");
  const limiter = createRedisRateLimiter({ redis: client, id: `abort-${process.pid}`, requests: 1, perMs: 1_000 });
  try {
    const first = await limiter.take();
    const controller = new AbortController();
    const reason = new Error("the job was cancelled");
    const waiting = limiter.take(controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
    // The aborted call left its place: the next call has the turn once the first frees it.
    first();
    const next = await limiter.take(AbortSignal.timeout(5_000));
    next();
  } finally {
    await limiter.close();
    client.disconnect();
  }
}, 20_000);
