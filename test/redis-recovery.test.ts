// The shared limit when Redis loses its state, comes back, or is asked for
// many things at once, against a real redis-server the test starts, kills
// and restarts: empty, and from a snapshot saved as Debian's configuration
// saves them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedisRateLimiter, type RedisRateLimiter } from "../src/redis.js";
import { limiterScripts } from "../src/redis-scripts.js";
import type { Turn } from "../src/rate-limit.js";
import { startRedisServer, type RedisServer } from "./support/redis-server.js";

const clients: Redis[] = [];
const limiters: RedisRateLimiter[] = [];
/** A limiter of its own process's kind: its own connection, nothing seen before. */
function limiter(port: number, options: Partial<Parameters<typeof createRedisRateLimiter>[0]> & { id: string }) {
  const redis = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  clients.push(redis);
  const made = createRedisRateLimiter({ redis, requests: 5, perMs: 2_000, ...options });
  limiters.push(made);
  return made;
}
afterAll(async () => {
  for (const each of limiters) await each.close();
  for (const each of clients) each.disconnect();
});

/**
 * Asks for `count` turns at once and waits until each has either been
 * granted or been told to wait; says how many were granted without a word.
 */
async function takeAtOnce(from: RedisRateLimiter, count: number) {
  const controller = new AbortController();
  let granted = 0;
  const waits: number[] = [];
  const turns: Promise<Turn | void>[] = [];
  for (let i = 0; i < count; i++) {
    let told = false;
    turns.push(
      from.take(controller.signal, (waitMs) => ((told = true), waits.push(waitMs))).then(
        (turn) => {
          if (!told) granted++;
          return turn;
        },
        () => {},
      ),
    );
  }
  await vi.waitUntil(() => granted + waits.length >= count, { timeout: 15_000, interval: 20 });
  return { grantedAtOnce: granted, waits, stop: () => controller.abort(new Error("enough")) };
}

/** Five turns taken and answered: a window of five full. */
async function fillWindow(from: RedisRateLimiter) {
  for (let i = 0; i < 5; i++) (await from.take())();
}

describe("Redis loses the window's history: whichever process sees it first pauses every process", () => {
  let redis: RedisServer;
  let snapshots: string;
  beforeAll(async () => {
    snapshots = mkdtempSync(join(tmpdir(), "ix-redis-"));
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(snapshots, { recursive: true, force: true });
  });

  it("restarted empty: a worker that never saw the old window waits instead of taking five more", async () => {
    redis = await startRedisServer();
    await fillWindow(limiter(redis.port, { id: "empty" }));
    const { port } = redis;
    await redis.stop("SIGKILL");
    redis = await startRedisServer(port);
    const fresh = await takeAtOnce(limiter(port, { id: "empty" }), 5);
    fresh.stop();
    expect(fresh.grantedAtOnce).toBe(0);
    expect(fresh.waits).toHaveLength(5);
    await redis.stop();
  }, 40_000);

  it("flushed on a Redis that has run for longer than a lease: a worker that never saw the old window waits", async () => {
    redis = await startRedisServer();
    const leaseMs = 2_500;
    await fillWindow(limiter(redis.port, { id: "flushed", leaseMs }));
    const admin = new Redis(redis.port, "127.0.0.1");
    try {
      // Past its first lease, a Redis with no record of an id has not merely just started.
      await vi.waitUntil(async () => Number(/uptime_in_seconds:(\d+)/.exec(await admin.info("server"))![1]) * 1000 >= leaseMs, { timeout: 10_000, interval: 200 });
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    const fresh = await takeAtOnce(limiter(redis.port, { id: "flushed", leaseMs }), 5);
    fresh.stop();
    expect(fresh.grantedAtOnce).toBe(0);
    await redis.stop();
  }, 40_000);

  it("restarted from a snapshot older than the last grants: the process that took them, and a new one, wait", async () => {
    redis = await startRedisServer(undefined, { snapshotsIn: snapshots });
    const worker = limiter(redis.port, { id: "snapshot" });
    (await worker.take())();
    // A snapshot, as Debian's save points take one, then four more requests it does not hold.
    const admin = new Redis(redis.port, "127.0.0.1");
    await admin.save();
    admin.disconnect();
    for (let i = 0; i < 4; i++) (await worker.take())();
    const { port } = redis;
    await redis.stop("SIGKILL");
    redis = await startRedisServer(port, { snapshotsIn: snapshots });
    const again = await takeAtOnce(worker, 5);
    const fresh = await takeAtOnce(limiter(port, { id: "snapshot" }), 5);
    again.stop();
    fresh.stop();
    expect([again.grantedAtOnce, fresh.grantedAtOnce]).toEqual([0, 0]);
    await redis.stop();
  }, 40_000);
});

describe("Redis back, the calls, and close()", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("a call made just after Redis answers again goes, rather than fail at once", async () => {
    const shared = limiter(redis.port, { id: "back", perMs: 500, unreachableMs: 1_000 });
    (await shared.take())();
    const { port } = redis;
    await redis.stop();
    await expect(shared.take()).rejects.toThrow(/Redis could not be reached for 1000 ms/);
    redis = await startRedisServer(port);
    const turn = await shared.take();
    expect(typeof turn).toBe("function");
    turn();
  }, 30_000);

  it("onWait: every queued call hears the wait it can expect, not the lease", async () => {
    const perMs = 1_000;
    const shared = limiter(redis.port, { id: "waits", requests: 2, perMs });
    const sending = [await shared.take(), await shared.take()];
    // Two requests in flight, four calls behind them: two go once the first two free, two a window later.
    const queued = await takeAtOnce(shared, 4);
    queued.stop();
    expect(queued.grantedAtOnce).toBe(0);
    expect(queued.waits).toHaveLength(4);
    for (const wait of queued.waits) expect(wait).toBeLessThanOrEqual(2 * perMs);
    expect(queued.waits[3]).toBeGreaterThan(perMs);
    for (const turn of sending) turn();
  }, 20_000);

  it("close() with requests in flight: their places free perMs after their answers, not after the lease", async () => {
    const perMs = 1_000;
    const id = "closing";
    const shared = limiter(redis.port, { id, requests: 3, perMs, leaseMs: 600_000 });
    const inFlight = [await shared.take(), await shared.take()];
    await shared.close();
    for (const turn of inFlight) turn();
    const admin = new Redis(redis.port, "127.0.0.1");
    try {
      const latestFree = async () => {
        const [seconds, micros] = await admin.time();
        // The places, without the marker that keeps the set from emptying (score +inf).
        const scores = (await admin.zrangebyscore(`invoicexpress-openapi:${id}:places`, "-inf", "(+inf", "WITHSCORES")).filter((_, i) => i % 2 === 1).map(Number);
        return { now: Number(seconds) * 1000 + Math.floor(Number(micros) / 1000), scores };
      };
      await vi.waitUntil(async () => {
        const { now, scores } = await latestFree();
        return scores.length === 2 && scores.every((score) => score <= now + perMs);
      }, { timeout: 5_000, interval: 50 });
    } finally {
      admin.disconnect();
    }
  }, 20_000);

  it("takes lost to a timeout given back by the thousand: 8,000 places in one release", async () => {
    const admin = new Redis(redis.port, "127.0.0.1");
    try {
      const key = "invoicexpress-openapi:release:places";
      const tokens = Array.from({ length: 8_000 }, (_, i) => `token-${i}`);
      await admin.zadd(key, ...tokens.flatMap((token, i) => [i, token]));
      await admin.eval(limiterScripts.ixRelease, 1, key, ...tokens);
      expect(await admin.zcard(key)).toBe(0);
    } finally {
      admin.disconnect();
    }
  });
});
