// invoicexpress-openapi/redis: one rate limit shared by every process that
// updates the same account, kept in Redis by Bottleneck's clustering.
import Bottleneck from "bottleneck";
import type { Redis } from "ioredis";
import { onAbort } from "./abort.js";
import { accountRateLimit, type RateLimit, type RateLimiter } from "./rate-limit.js";

export interface RedisRateLimitOptions extends Partial<RateLimit> {
  /** An ioredis client. The limiter opens its own two connections from its settings, and leaves this one as it is. */
  redis: Redis;
  /** The name every process of one account shares, such as the account's name. */
  id: string;
  /**
   * How long the turns of a process that died stay taken, in milliseconds:
   * longer than an attempt (`timeoutMs`) plus `perMs`. Default `perMs` plus 2 minutes.
   */
  leaseMs?: number;
}

export interface RedisRateLimiter extends RateLimiter {
  /** Waits for the places still held to free (at most `perMs`), then closes the limiter's Redis connections. */
  close(): Promise<void>;
}

/**
 * A limiter shared through Redis: at most `requests` requests in any `perMs`
 * (default 780 a minute) across every process with the same `id`. As in
 * `createRateLimiter`, a request holds its place from the moment it is sent
 * until `perMs` after its answer arrived; here a place is one of Bottleneck's
 * `maxConcurrent` jobs, so the whole cluster holds at most `requests`.
 * Turns are not reported to `onWait`: how long one takes depends on the
 * other processes, which this one cannot see.
 */
export function createRedisRateLimiter(options: RedisRateLimitOptions): RedisRateLimiter {
  const { redis, id, requests = accountRateLimit.requests, perMs = accountRateLimit.perMs } = options;
  const leaseMs = options.leaseMs ?? perMs + 120_000;
  if (typeof redis?.duplicate !== "function") throw new TypeError("createRedisRateLimiter: redis must be an ioredis client.");
  if (typeof id !== "string" || id === "") throw new TypeError("createRedisRateLimiter: id must be a non-empty string.");
  // The same rule as createRateLimiter's, written again: sharing it costs the browser entry bytes it has not got.
  if (!(Number.isInteger(requests) && requests > 0 && perMs > 0 && perMs < 2 ** 31 && leaseMs > perMs))
    throw new TypeError(
      "createRedisRateLimiter: requests must be a whole number of 1 or more, perMs from 1 to 2147483647 ms, and leaseMs longer than perMs.",
    );
  const connection = new Bottleneck.IORedisConnection({ client: redis.duplicate() });
  const cluster = new Bottleneck({ id: `invoicexpress-openapi:${id}`, maxConcurrent: requests, datastore: "ioredis", connection });
  // The first process to connect stores the settings for all; a later one
  // with another limit means the account's limit changed.
  const ready = cluster.ready().then(() => cluster.updateSettings({ maxConcurrent: requests }));
  let pausedUntil = 0;

  return {
    take(signal) {
      return new Promise((resolve, reject) => {
        signal?.throwIfAborted();
        let settled = false;
        const fail = (reason: unknown) => {
          unlink();
          if (!settled) reject(reason);
          settled = true;
        };
        const unlink = onAbort(signal, fail);
        const hold = async () => {
          while (!settled && Date.now() < pausedUntil) await delay(pausedUntil - Date.now());
          // A call aborted while it waited passes its turn on at once.
          if (settled) return;
          settled = true;
          unlink();
          await new Promise<void>((answered) => resolve(() => answered()));
          await delay(perMs);
        };
        ready
          .then(() => cluster.schedule({ expiration: leaseMs }, hold))
          // Redis unreachable: the call fails rather than going out unlimited.
          .catch(fail);
      });
    },
    pause(waitMs) {
      // How old the window's oldest request is, only Redis knows: a whole window is the longest it can be.
      const wait = waitMs ?? perMs;
      pausedUntil = Math.max(pausedUntil, Date.now() + wait);
      return wait;
    },
    async close() {
      // Places still held tell Redis when they free (within perMs): only then
      // may the connections close. One handed to Bottleneck is not closed with it.
      await cluster.stop({ dropWaitingJobs: false });
      await cluster.disconnect(true);
      await connection.disconnect(true);
    },
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
