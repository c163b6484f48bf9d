// Keeping under the account's rate limit: every attempt waits for its turn,
// in the order the calls were made.
import { onAbort } from "./abort.js";

/**
 * What the client asks of a rate limiter; `rateLimit` takes any object with
 * these two methods (the one `createRateLimiter` makes, the shared one of
 * `invoicexpress-openapi/redis`, or your own).
 */
export interface RateLimiter {
  /**
   * Waits for a turn to send one request. Resolves with `done`, which the
   * client calls once, when the answer has arrived or the attempt has failed.
   * When the turn is not free at once, calls `onWait` first with the
   * expected wait in milliseconds (if `onWait` throws, rejects with what it
   * threw and takes no turn). When `signal` aborts first, rejects with its
   * reason at once and takes no turn.
   */
  take(signal?: AbortSignal, onWait?: (waitMs: number) => void): Promise<Turn>;
  /**
   * The service answered 429: hand out no turn for `waitMs`, or, when it is
   * undefined, until the oldest request of the window has aged out.
   * Returns the pause in force, in milliseconds.
   */
  pause(waitMs?: number): number;
}

/**
 * A turn: call it once the answer has arrived or the attempt has failed.
 * `expired`, if the limiter has it, says whether the turn ran out before
 * the request could go (the process was stopped meanwhile): the client then
 * hands it back and waits for another.
 */
export type Turn = (() => void) & { expired?: () => boolean };

/** At most `requests` requests in any `perMs` milliseconds. */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** The service's limit: 780 requests a minute per account. */
export const accountRateLimit: RateLimit = { requests: 780, perMs: 60_000 };

/**
 * A limiter for one process: at most `requests` requests in any `perMs`, as
 * the service counts them. It may count a request at any moment between
 * its sending and its answer, so each request holds its place from the
 * moment it is sent until `perMs` after its answer arrived. Waiting calls
 * are served first come, first served, woken by one timer at most.
 */
export function createRateLimiter({ requests, perMs }: RateLimit): RateLimiter {
  if (!(Number.isInteger(requests) && Number.isInteger(perMs) && requests > 0 && perMs > 0 && perMs < 2 ** 31))
    throw new TypeError("rateLimit must be false, a limiter or { requests: 1 or more, whole; perMs: 1 to 2147483647 }.");
  // When each answered request leaves the window, oldest first.
  const leaves: number[] = [];
  let sending = 0;
  let pausedUntil = 0;
  // In the order the calls came; an aborted call leaves at once.
  const queue = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const held = (now: number) => {
    while (leaves[0]! <= now) leaves.shift();
    return sending + leaves.length;
  };

  function serve() {
    clearTimeout(timer);
    timer = undefined;
    const now = performance.now();
    for (const grant of queue) {
      if (now < pausedUntil || held(now) >= requests) {
        // The next place frees when the oldest answered request ages out
        // (with every place still sending, when one is answered).
        const at = Math.max(pausedUntil, held(now) < requests ? 0 : (leaves[0] ?? Infinity));
        // (Timers fire at once past 2^31 - 1 ms: a longer wait is served in laps.)
        if (at < Infinity) timer = setTimeout(serve, Math.min(at - now, 2 ** 31 - 1));
        return;
      }
      queue.delete(grant);
      grant();
    }
  }

  return {
    take(signal, onWait) {
      return new Promise((resolve, reject) => {
        // (A throw here rejects the promise: onWait's too, before the call joins the line.)
        signal?.throwIfAborted();
        const now = performance.now();
        if (queue.size || now < pausedUntil || held(now) >= requests) {
          // Expected: the place the calls ahead leave free, a window later per lap.
          const ahead = queue.size;
          const freesAt = leaves[ahead % requests] ?? now + perMs;
          onWait?.(Math.max(pausedUntil, freesAt + perMs * Math.floor(ahead / requests)) - now);
          // Aborted from onWait (a deadline, say): it never joins the line.
          signal?.throwIfAborted();
        }
        const grant = () => {
          unlink();
          sending++;
          resolve(() => {
            sending--;
            leaves.push(performance.now() + perMs);
            if (!timer) serve();
          });
        };
        // An abort that empties the line also stops the timer, which would keep a process alive.
        const unlink = onAbort(signal, (reason) => queue.delete(grant) && (reject(reason), serve()));
        queue.add(grant);
        serve();
      });
    },
    pause(waitMs) {
      const now = performance.now();
      held(now);
      const wait = waitMs ?? (leaves[0] ?? now + perMs) - now;
      // The pause asked for, exactly, when it is the one in force.
      const longer = now + wait >= pausedUntil;
      if (longer) pausedUntil = now + wait;
      serve();
      return longer ? wait : pausedUntil - now;
    },
  };
}

