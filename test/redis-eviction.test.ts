// The shared limit's promise that Redis losing the window's
// history pauses every process: here the history is evicted under a
// maxmemory policy, while the rest of the limiter's keys stay.
import { Redis } from "ioredis";
import { afterAll, expect, it, vi } from "vitest";
import { createRedisRateLimiter, type RedisRateLimiter } from "../src/redis.js";
import type { Turn } from "../src/rate-limit.js";
import { startRedisServer, type RedisServer } from "./support/redis-server.js";

const clients: Redis[] = [];
const limiters: RedisRateLimiter[] = [];
let server: RedisServer | undefined;
function limiter(port: number, id: string) {
  const redis = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  clients.push(redis);
  const made = createRedisRateLimiter({ redis, id, requests: 5, perMs: 60_000, leaseMs: 62_000 });
  limiters.push(made);
  return made;
}
afterAll(async () => {
  for (const each of limiters) await each.close();
  for (const each of clients) each.disconnect();
  await server?.stop();
});

it("the window's places evicted (maxmemory, volatile-ttl): a worker that never saw them waits instead of taking five more", async () => {
  server = await startRedisServer();
  const admin = new Redis(server.port, "127.0.0.1");
  try {
    // A record of this run, as a limiter of the id that took places earlier left it: the first take needs no pause.
    const run = /run_id:(\w+)/.exec(await admin.info("server"))![1]!;
    await admin.hset("invoicexpress-openapi:evicted:record", "run", run);
    const first = limiter(server.port, "evicted");
    for (let i = 0; i < 5; i++) (await first.take())();
    const zsetGone = async () => {
      for (const key of await admin.keys("*evicted*")) if ((await admin.type(key)) === "zset") return false;
      return true;
    };
    const used = Number(/used_memory:(\d+)/.exec(await admin.info("memory"))![1]);
    expect(await zsetGone()).toBe(false);
    await admin.config("SET", "maxmemory-policy", "volatile-ttl");
    await admin.config("SET", "maxmemory-samples", "64");
    await admin.config("SET", "maxmemory", String(used + 512 * 1024));
    // Other data with a longer time to live than the window's places: the places go first.
    for (let i = 0; i < 2_000 && !(await zsetGone()); i++) await admin.set(`filler:${i}`, "x".repeat(16 * 1024), "EX", 86_400).catch(() => {});
    expect(await zsetGone()).toBe(true);
    expect(await admin.exists("invoicexpress-openapi:evicted:record")).toBe(1);
    expect(Number(/evicted_keys:(\d+)/.exec(await admin.info("stats"))![1])).toBeGreaterThan(0);
    await admin.config("SET", "maxmemory", "0");
  } finally {
    admin.disconnect();
  }
  const fresh = limiter(server.port, "evicted");
  const controller = new AbortController();
  let grantedAtOnce = 0;
  let told = 0;
  const turns: Promise<Turn | void>[] = [];
  for (let i = 0; i < 5; i++) {
    let waited = false;
    turns.push(
      fresh.take(controller.signal, () => ((waited = true), told++)).then(
        (turn) => void (waited || grantedAtOnce++, turn),
        () => {},
      ),
    );
  }
  await vi.waitUntil(() => grantedAtOnce + told >= 5, { timeout: 15_000, interval: 20 });
  controller.abort(new Error("enough"));
  expect(grantedAtOnce).toBe(0);
}, 60_000);
