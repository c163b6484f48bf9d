// Several processes updating one account through a limit shared in a real
// redis-server: none of them meets a 429, and every update is applied once.
import { execFile, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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

/**
 * Gives Redis a record of `id` with a limiter of a short window: a Redis
 * started less than a lease ago with no record of an id cannot tell itself
 * from one restarted empty, so the first take there pauses for a window.
 */
async function recorded(id: string) {
  const client = new Redis(redis.port, "127.0.0.1");
  const limiter = createRedisRateLimiter({ redis: client, id, requests: 1_000, perMs: 100 });
  (await limiter.take())();
  await limiter.close();
  client.disconnect();
}

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

describe("the shared limit under faults", () => {
  it("clocks apart by minutes: the limit still holds (Redis keeps the time)", async () => {
    await server?.close();
    server = await startLimitedServer({ requests: 30, perMs: 1_000 });
    const shifts = [120_000, -120_000, 0];
    const processes = shifts.map((shift, n) =>
      run(tsx, [worker, server.url, String(redis.port), String(1 + n * 1000), "30", "30", "1000"], { env: { ...process.env, CLOCK_SHIFT_MS: String(shift), LIMIT_ID: "skewed" } }),
    );
    const reports = (await Promise.all(processes)).map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as { failed: string[] });
    expect(reports.flatMap((report) => report.failed)).toEqual([]);
    expect(server.refused).toBe(0);
    expect(server.busiestWindow).toBeLessThanOrEqual(30);
  }, 60_000);

  it("Redis killed and restarted empty in the middle of a bulk job: no window over the limit, and every update goes out", async () => {
    await server?.close();
    server = await startLimitedServer({ requests: 10, perMs: 2_000 });
    const processes = [0, 1, 2].map((n) =>
      run(tsx, [worker, server.url, String(redis.port), String(1 + n * 1000), "20", "10", "2000"], { env: { ...process.env, LIMIT_ID: "restarted" } }),
    );
    // Right after the second window filled: Redis then held ten places still counting.
    await vi.waitUntil(() => server.served >= 20, { timeout: 20_000, interval: 5 });
    const port = redis.port;
    await redis.stop("SIGKILL");
    redis = await startRedisServer(port);
    const reports = (await Promise.all(processes)).map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as { failed: string[] });
    expect(reports.flatMap((report) => report.failed)).toEqual([]);
    expect(server.applied.size).toBe(60);
    // Nothing arrived past the limit: not one 429.
    expect(server.refused).toBe(0);
    expect(server.busiestWindow).toBeLessThanOrEqual(10);
  }, 90_000);

  it("a process stopped for longer than its lease recovers when it resumes, and finishes its work", async () => {
    await server?.close();
    server = await startLimitedServer({ requests: 20, perMs: 1_000 });
    const child = spawn(tsx, [worker, server.url, String(redis.port), "1", "60", "20", "1000"], { env: { ...process.env, LEASE_MS: "1500", LIMIT_ID: "stalled" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await vi.waitUntil(() => server.served > 10, { timeout: 20_000, interval: 20 });
    // SIGSTOP goes to tsx's node and its child alike: the whole process tree stops.
    execFileSync("pkill", ["-STOP", "-P", String(child.pid)]);
    child.kill("SIGSTOP");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    child.kill("SIGCONT");
    execFileSync("pkill", ["-CONT", "-P", String(child.pid)]);
    await exited;
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).toMatchObject({ failed: [] });
    expect(server.applied.size).toBe(60);
  }, 60_000);

  it("Redis goes away: a waiting call fails naming Redis, nothing goes out; Redis back empty, calls go on", async () => {
    const client = new Redis(redis.port, "127.0.0.1", { maxRetriesPerRequest: 0 });
    client.on("error", () => {});
    const limiter = createRedisRateLimiter({ redis: client, id: `restart-${process.pid}`, requests: 1, perMs: 2_000, unreachableMs: 1_000 });
    try {
      const held = await limiter.take();
      const waiting = limiter.take();
      const port = redis.port;
      await redis.stop();
      await expect(waiting).rejects.toThrow(/^Redis could not be reached for 1000 ms .*the call was not sent\.$/);
      // A call made while Redis is still away fails too, rather than go out.
      await expect(limiter.take()).rejects.toThrow(/Redis could not be reached/);
      redis = await startRedisServer(port);
      // Empty: the place the first call held is gone with the old data.
      await vi.waitUntil(() => limiter.take().then((done) => (done(), true), () => false), { timeout: 15_000, interval: 200 });
      held();
    } finally {
      await limiter.close();
      client.disconnect();
    }
  }, 40_000);

  it("huge perMs and leaseMs: no timer overflows, and a third call really waits", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    await recorded(`huge-${process.pid}`);
    const client = new Redis(redis.port, "127.0.0.1");
    const limiter = createRedisRateLimiter({ redis: client, id: `huge-${process.pid}`, requests: 2, perMs: 2 ** 31 - 1, leaseMs: Number.MAX_SAFE_INTEGER });
    try {
      const waits: number[] = [];
      (await limiter.take())();
      (await limiter.take())();
      const controller = new AbortController();
      const third = limiter.take(controller.signal, (waitMs) => waits.push(waitMs));
      await vi.waitUntil(() => waits.length > 0, { timeout: 5_000 });
      expect(waits[0]).toBeGreaterThan(2 ** 30);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      controller.abort(new Error("enough"));
      await expect(third).rejects.toThrow("enough");
      expect(warnings).not.toContain("TimeoutOverflowWarning");
      expect(() => createRedisRateLimiter({ redis: client, id: "x", perMs: 2 ** 31 })).toThrow(/perMs/);
    } finally {
      process.off("warning", onWarning);
      await limiter.close();
      client.disconnect();
    }
  }, 20_000);

  it("close() ends at once: a waiting call rejects, unsent", async () => {
    await recorded(`close-${process.pid}`);
    const client = new Redis(redis.port, "127.0.0.1");
    const limiter = createRedisRateLimiter({ redis: client, id: `close-${process.pid}`, requests: 1, perMs: 60_000 });
    const held = await limiter.take();
    const waiting = limiter.take();
    await limiter.close();
    await expect(waiting).rejects.toThrow(/closed; the call was not sent/);
    held();
    client.disconnect();
  });
});
