// invoicexpress-openapi/redis: one rate limit shared by every process that
// updates the same account, kept in Redis by scripts that Redis runs
// atomically on its own clock.
import type { Redis } from "ioredis";
import { onAbort } from "./abort.js";
import { accountRateLimit, type RateLimit, type RateLimiter } from "./rate-limit.js";

export interface RedisRateLimitOptions extends Partial<RateLimit> {
  /** An ioredis client. The limiter opens one connection of its own from its settings, and leaves this one as it is. */
  redis: Redis;
  /** The name every process of one account shares, such as the account's name. */
  id: string;
  /**
   * How long a place taken by a process that then stops (it died, or was
   * stopped) stays taken, in milliseconds: longer than an attempt
   * (`timeoutMs`). Default `perMs` plus 2 minutes.
   */
  leaseMs?: number;
  /** How long Redis may stay unreachable before waiting calls fail, unsent. Default 10 000 ms. */
  unreachableMs?: number;
}

export interface RedisRateLimiter extends RateLimiter {
  /** Ends at once: calls still waiting for a turn reject, unsent; the places already taken free in Redis at their time. */
  close(): Promise<void>;
}

// Each place is a member of a sorted set whose score is when it frees, in
// Redis's milliseconds: taken, it frees after the lease; answered, `perMs`
// after the answer. Every time is Redis's own, so clocks apart by minutes,
// and a process stopped for a while, change nothing.
const now = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
// The set lives as long as its last place: no shorter than this.
const keepFor = (ms: string) => `redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(${ms})))`;
const scripts = {
  // KEYS: places, pause, epoch. ARGV: requests, token, leaseMs, the epoch
  // this process last saw ("" for none), perMs, a new epoch. Returns
  // {1, 0, epoch} for a place, or {0, ms until one may free, epoch}.
  // An epoch this process saw, gone: Redis restarted empty and forgot the
  // places of the last window, so no place is given for a window.
  ixTake: `${now}
    local epoch = redis.call('GET', KEYS[3])
    if not epoch then
      epoch = ARGV[6]
      redis.call('SET', KEYS[3], epoch)
      if ARGV[4] ~= '' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[5]) end
    end
    local paused = redis.call('PTTL', KEYS[2])
    if paused > 0 then return {0, paused, epoch} end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
      ${keepFor("ARGV[3]")}
      return {1, 0, epoch}
    end
    local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, math.max(1, tonumber(first[2]) - now), epoch}`,
  // KEYS: places. ARGV: token, perMs. The place frees perMs from now (if its lease has not run out).
  ixDone: `${now} local kept = redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) ${keepFor("ARGV[2]")} return kept`,
  // KEYS: places. ARGV: tokens of takes whose answer never came (a timeout): places given back.
  ixRelease: `return redis.call('ZREM', KEYS[1], unpack(ARGV))`,
  // KEYS: pause. ARGV: ms. Longer pauses win; returns the pause in force.
  ixPause: `local left = redis.call('PTTL', KEYS[1])
    if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) return tonumber(ARGV[1]) end
    return left`,
};
type Scripts = { [name in keyof typeof scripts]: (...args: (string | number)[]) => Promise<unknown> };

// The longest the limiter sleeps before asking Redis again: a place may
// free sooner than expected (an answer comes), and Redis may come back.
const longestSleep = 1_000;

/**
 * A limiter shared through Redis: at most `requests` requests in any `perMs`
 * (default 780 a minute) across every process with the same `id`. As in
 * `createRateLimiter`, a request holds its place from the moment it is sent
 * until `perMs` after its answer arrived. A call waits in its process's line,
 * first come, first served; the processes' lines are served as Redis frees
 * places. When Redis cannot be reached for `unreachableMs`, waiting calls
 * reject with an error that names Redis, and nothing is sent unlimited; when
 * it is back (empty or not), calls go on.
 */
export function createRedisRateLimiter(options: RedisRateLimitOptions): RedisRateLimiter {
  const { redis, id, requests = accountRateLimit.requests, perMs = accountRateLimit.perMs, unreachableMs = 10_000 } = options;
  const leaseMs = options.leaseMs ?? perMs + 120_000;
  if (typeof redis?.duplicate !== "function") throw new TypeError("createRedisRateLimiter: redis must be an ioredis client.");
  if (typeof id !== "string" || id === "") throw new TypeError("createRedisRateLimiter: id must be a non-empty string.");
  // The same rule as createRateLimiter's, written again: sharing it costs the browser entry bytes.
  if (!(Number.isInteger(requests) && requests > 0 && Number.isInteger(perMs) && perMs > 0 && perMs < 2 ** 31))
    throw new TypeError("createRedisRateLimiter: requests must be a whole number of 1 or more, and perMs a whole number from 1 to 2147483647 ms.");
  if (!(Number.isSafeInteger(leaseMs) && leaseMs > perMs)) throw new TypeError("createRedisRateLimiter: leaseMs must be a whole number of milliseconds longer than perMs.");
  if (!(Number.isInteger(unreachableMs) && unreachableMs > 0 && unreachableMs < 2 ** 31))
    throw new TypeError("createRedisRateLimiter: unreachableMs must be a whole number from 1 to 2147483647 ms.");

  // A connection of the limiter's own: no queue of commands while Redis is
  // away (they fail at once, and the limiter counts how long), a bound on
  // each command, and its errors kept from ioredis's "Unhandled error event".
  const connection = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 2_000, retryStrategy: (times) => Math.min(100 * times, longestSleep) });
  let lastError: Error | undefined;
  connection.on("error", (error: Error) => (lastError = error));
  for (const [name, lua] of Object.entries(scripts)) connection.defineCommand(name, { numberOfKeys: name === "ixTake" ? 3 : 1, lua });
  const run = connection as unknown as Scripts;
  const places = `invoicexpress-openapi:${id}:places`;
  const pauseKey = `invoicexpress-openapi:${id}:pause`;
  const epochKey = `invoicexpress-openapi:${id}:epoch`;
  let epoch = "";
  // Takes whose answer was lost (a command timed out): Redis may still have given them a place.
  const unanswered: string[] = [];

  interface Waiter {
    grant(token: string, at: number): void;
    fail(error: Error): void;
    onWait: ((waitMs: number) => void) | undefined;
  }
  // In the order the calls came; an aborted call leaves at once.
  const line = new Set<Waiter>();
  let serving = false;
  let closed = false;
  let failingSince: number | undefined;
  let localPauseUntil = 0;
  let wake: (() => void) | undefined;

  // A sleep that an abort or close() cuts short, its timer cleared: an empty
  // line keeps no process alive.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(Math.max(ms, 1), longestSleep));
      wake = () => (clearTimeout(timer), resolve());
    });

  async function serve() {
    if (serving) return;
    serving = true;
    try {
      while (line.size && !closed) {
        const [waiter] = line;
        const local = localPauseUntil - performance.now();
        if (local > 0) {
          await sleep(local);
          continue;
        }
        const token = globalThis.crypto.randomUUID();
        let answer: [number, number, string];
        const asked = performance.now();
        try {
          answer = (await run.ixTake(places, pauseKey, epochKey, requests, token, leaseMs, epoch, perMs, globalThis.crypto.randomUUID())) as [number, number, string];
          failingSince = undefined;
          epoch = answer[2];
          if (unanswered.length) void run.ixRelease(places, ...unanswered.splice(0)).catch(() => {});
        } catch (error) {
          unanswered.push(token);
          // Unreachable since the command was sent, not since it timed out.
          failingSince ??= asked;
          if (performance.now() - failingSince >= unreachableMs) {
            const cause = lastError ?? (error as Error);
            const failure = new Error(`Redis could not be reached for ${unreachableMs} ms (${cause.message}); the call was not sent.`, { cause });
            for (const each of line) each.fail(failure);
            line.clear();
          } else await sleep(100);
          continue;
        }
        if (!line.has(waiter!)) {
          // Aborted while Redis answered: the place goes back.
          if (answer[0]) void run.ixDone(places, token, 0).catch(() => {});
          continue;
        }
        if (answer[0]) {
          line.delete(waiter!);
          waiter!.grant(token, performance.now());
        } else {
          waiter!.onWait?.(answer[1]);
          waiter!.onWait = undefined;
          await sleep(answer[1]);
        }
      }
    } finally {
      serving = false;
    }
  }

  return {
    take(signal, onWait) {
      return new Promise((resolve, reject) => {
        signal?.throwIfAborted();
        if (closed) return reject(new Error("The Redis rate limiter was closed; the call was not sent."));
        const waiter: Waiter = {
          grant(token, at) {
            unlink();
            // A process stopped between its turn and its request (a laptop
            // lid) finds its place gone once its lease has run out: the
            // transport asks before it sends, and takes another turn.
            const done = () => void run.ixDone(places, token, perMs).catch(() => {});
            resolve(Object.assign(done, { expired: () => performance.now() - at > leaseMs - perMs }));
          },
          fail(error) {
            unlink();
            reject(error);
          },
          onWait: onWait && ((waitMs) => {
            try {
              onWait(waitMs);
            } catch (error) {
              line.delete(waiter);
              waiter.fail(error as Error);
            }
          }),
        };
        const unlink = onAbort(signal, (reason) => {
          if (line.delete(waiter)) reject(reason);
          wake?.();
        });
        if (signal?.aborted) return;
        line.add(waiter);
        void serve();
      });
    },
    pause(waitMs) {
      // How old the window's oldest request is, only Redis knows: a whole window is the longest it can be.
      const wait = Math.min(waitMs ?? perMs, 2 ** 31 - 1);
      localPauseUntil = Math.max(localPauseUntil, performance.now() + wait);
      void run.ixPause(pauseKey, wait).catch(() => {});
      return localPauseUntil - performance.now();
    },
    async close() {
      closed = true;
      const failure = new Error("The Redis rate limiter was closed; the call was not sent.");
      for (const waiter of line) waiter.fail(failure);
      line.clear();
      wake?.();
      connection.disconnect();
    },
  };
}
