// invoicexpress-openapi/redis: one rate limit shared by every process that
// updates the same account, kept in Redis by scripts that Redis runs
// atomically on its own clock.
import type { Redis } from "ioredis";
import { onAbort } from "./abort.js";
import { accountRateLimit, type RateLimit, type RateLimiter } from "./rate-limit.js";
import { limiterScripts } from "./redis-scripts.js";

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
  /**
   * Ends at once: calls still waiting for a turn reject, unsent. Requests
   * already sent keep the limiter's connection until their turns are done,
   * so that their places free `perMs` after their answers; a turn never
   * done keeps it no longer than `leaseMs`.
   */
  close(): Promise<void>;
}

type Scripts = { [name in keyof typeof limiterScripts]: (...args: (string | number)[]) => Promise<unknown> };

// The longest the limiter sleeps before asking Redis again: a place may
// free sooner than expected (an answer comes), and Redis may come back.
const longestSleep = 1_000;

/**
 * A limiter shared through Redis: at most `requests` requests in any `perMs`
 * (default 780 a minute) across every process with the same `id`. As in
 * `createRateLimiter`, a request holds its place from the moment it is sent
 * until `perMs` after its answer arrived. A call waits in its process's line,
 * first come, first served; the processes' lines are served as Redis frees
 * places, and each is told (`onWait`) the soonest it can expect to go.
 * When Redis cannot be reached for `unreachableMs` counted from the call (or
 * from the first command that did not come back, if later), the call rejects
 * with an error that names Redis, and nothing is sent unlimited; when it is
 * back, calls go on. When Redis has lost the window's history (restarted
 * empty or from a snapshot, or flushed), the first process to see it pauses
 * every process for a window.
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
  for (const [name, lua] of Object.entries(limiterScripts)) connection.defineCommand(name, { numberOfKeys: name === "ixTake" ? 3 : 1, lua });
  const run = connection as unknown as Scripts;
  const places = `invoicexpress-openapi:${id}:places`;
  const pauseKey = `invoicexpress-openapi:${id}:pause`;
  const recordKey = `invoicexpress-openapi:${id}:record`;
  // Takes whose answer was lost (a command timed out): Redis may still have given them a place.
  const unanswered: string[] = [];

  interface Waiter {
    grant(token: string, at: number): void;
    fail(error: Error): void;
    /** Called once, when the call first finds no place free; then undefined. */
    onWait: ((waitMs: number) => void) | undefined;
    /** When the call came: its wait for Redis counts from then at the earliest. */
    since: number;
  }
  // In the order the calls came; an aborted call leaves at once.
  const line = new Set<Waiter>();
  let serving = false;
  let closed = false;
  let failingSince: number | undefined;
  let localPauseUntil = 0;
  let wake: (() => void) | undefined;
  // Turns handed out whose `done` has not been called: after close(), the
  // connection stays until the last, so that its place frees on time.
  let inFlight = 0;

  // A sleep that an abort, a new call or close() cuts short, its timer
  // cleared: an empty line keeps no process alive.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(Math.max(ms, 1), longestSleep));
      wake = () => (clearTimeout(timer), resolve());
    });

  /**
   * Tells each call not yet told what it can expect to wait: the call k-th
   * in line takes the place that frees k-th, a window later per lap of
   * `requests` (`frees`: when each place frees, soonest first, free ones
   * as 0), and never before the pause ends.
   */
  function tell(pausedMs: number, frees: number[]) {
    const free = requests - frees.length;
    let position = 0;
    for (const waiter of line) {
      const report = waiter.onWait;
      const lap = position % requests;
      const expected = (lap < free ? 0 : frees[lap - free]!) + perMs * Math.floor(position++ / requests);
      if (!report) continue;
      waiter.onWait = undefined;
      report(Math.max(pausedMs, expected));
    }
  }

  async function serve() {
    if (serving) return;
    serving = true;
    try {
      while (line.size && !closed) {
        const [waiter] = line;
        const local = localPauseUntil - performance.now();
        if (local > 0) {
          tell(local, []);
          await sleep(local);
          continue;
        }
        const token = globalThis.crypto.randomUUID();
        let answer: number[];
        const asked = performance.now();
        const untold = [...line].some((each) => each.onWait);
        try {
          answer = (await run.ixTake(places, pauseKey, recordKey, requests, token, leaseMs, perMs, untold ? "1" : "")) as number[];
          failingSince = undefined;
          if (unanswered.length) void run.ixRelease(places, ...unanswered.splice(0)).catch(() => {});
        } catch (error) {
          // A command ioredis never wrote (no connection) took no place.
          if (!/isn't writeable/.test((error as Error).message)) unanswered.push(token);
          // Unreachable since the command was sent, not since it timed out;
          // and for each call, no sooner than it came.
          failingSince ??= asked;
          const now = performance.now();
          const cause = lastError ?? (error as Error);
          for (const each of line) {
            if (now - Math.max(failingSince, each.since) < unreachableMs) continue;
            line.delete(each);
            each.fail(new Error(`Redis could not be reached for ${unreachableMs} ms (${cause.message}); the call was not sent.`, { cause }));
          }
          await sleep(100);
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
          tell(answer[1]!, answer.slice(3));
          await sleep(Math.max(answer[1]!, answer[2]!));
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
            inFlight++;
            let called = false;
            // A process stopped between its turn and its request (a laptop
            // lid) finds its place gone once its lease has run out: the
            // transport asks before it sends, and takes another turn.
            const done = () => {
              if (called) return;
              called = true;
              inFlight--;
              const sent = run.ixDone(places, token, perMs).catch(() => {});
              if (closed && !inFlight) void sent.finally(() => connection.disconnect());
            };
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
          since: performance.now(),
        };
        const unlink = onAbort(signal, (reason) => {
          if (line.delete(waiter)) reject(reason);
          wake?.();
        });
        if (signal?.aborted) return;
        line.add(waiter);
        // A line already waiting asks Redis again, to tell this call its wait.
        if (serving && onWait) wake?.();
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
      // Requests in flight keep the connection until their answers free
      // their places; one never answered keeps it no longer than its lease.
      if (!inFlight) connection.disconnect();
      else setTimeout(() => connection.disconnect(), Math.min(leaseMs, 2 ** 31 - 1)).unref();
    },
  };
}
