// Keeping under the account's rate limit: every attempt waits for its turn,
// in the order the calls were made.

/**
 * What the client asks of a rate limiter; `rateLimit` takes any object with
 * these two methods (the one `createRateLimiter` makes, the shared one of
 * `invoicexpress-openapi/redis`, or your own).
 */
export interface RateLimiter {
  /**
   * Waits for a turn to send one request. Resolves with `done`, which the
   * client calls once the answer has arrived or the attempt has failed.
   * When the turn is not free at once, calls `onWait` first with the
   * expected wait in milliseconds (if `onWait` throws, rejects with what it
   * threw and takes no turn). When `signal` aborts first, rejects with its
   * reason at once and takes no turn.
   */
  take(signal?: AbortSignal, onWait?: (waitMs: number) => void): Promise<() => void>;
  /**
   * The service answered 429: hand out no turn for `waitMs`, or, when it is
   * undefined, until the oldest request of the window has aged out.
   * Returns the pause in milliseconds.
   */
  pause(waitMs?: number): number;
}

/** At most `requests` requests in any `perMs` milliseconds. */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** The service's limit: 780 requests a minute per account. */
export const accountRateLimit: RateLimit = { requests: 780, perMs: 60_000 };

interface Waiter {
  grant(): void;
  onWait?: (waitMs: number) => void;
  gone?: boolean;
}

/**
 * A limiter for one process: at most `requests` requests in any `perMs`, as
 * the service counts them. It may count a request at any moment between
 * its sending and its answer, so each request holds its place from the
 * moment it is sent until `perMs` after its answer arrived. Waiting calls
 * are served first come, first served, woken by one timer at most.
 */
export function createRateLimiter({ requests, perMs }: RateLimit): RateLimiter {
  if (!(Number.isInteger(requests) && requests > 0 && perMs > 0 && perMs < 2 ** 31))
    throw new TypeError("rateLimit: requests must be a whole number of 1 or more, and perMs from 1 to 2147483647 ms.");
  // When each answered request leaves the window, oldest first, from `freed`.
  const leaves: number[] = [];
  let freed = 0;
  let sending = 0;
  let pausedUntil = 0;
  const queue: Waiter[] = [];
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const held = (now: number) => {
    while (freed < leaves.length && leaves[freed]! <= now) freed++;
    if (freed > 1024 && freed * 2 > leaves.length) leaves.splice(0, freed), (freed = 0);
    return sending + leaves.length - freed;
  };

  function serve() {
    clearTimeout(timer);
    timer = undefined;
    const now = performance.now();
    while (next < queue.length && now >= pausedUntil && held(now) < requests) {
      const waiter = queue[next++]!;
      if (!waiter.gone) waiter.grant();
    }
    if (next > 1024 && next * 2 > queue.length) queue.splice(0, next), (next = 0);
    if (next === queue.length) return;
    // Still full: the next place frees when the oldest answered request
    // ages out (or, with every place still sending, when one is answered).
    const at = Math.max(pausedUntil, held(now) < requests ? 0 : (leaves[freed] ?? Infinity));
    if (at !== Infinity) timer = setTimeout(serve, at - now);
  }

  /** The expected wait of the waiter after `ahead` others: the place `ahead` frees, a window later per lap. */
  function expectedWait(ahead: number, now: number) {
    const place = ahead % requests;
    const freesAt = freed + place < leaves.length ? leaves[freed + place]! : now + perMs;
    return Math.max(pausedUntil, freesAt + perMs * Math.floor(ahead / requests)) - now;
  }

  return {
    take(signal, onWait) {
      return new Promise((resolve, reject) => {
        const linked = signal && AbortSignal.any([signal]);
        if (linked?.aborted) return reject(linked.reason);
        const now = performance.now();
        const ahead = queue.length - next;
        if (ahead > 0 || now < pausedUntil || held(now) >= requests) onWait?.(expectedWait(ahead, now));
        let done = false;
        const waiter: Waiter = {
          grant() {
            sending++;
            resolve(() => {
              if (done) return;
              done = true;
              sending--;
              leaves.push(performance.now() + perMs);
              if (timer === undefined) serve();
            });
          },
        };
        // AbortSignal.any adds no listener to the caller's signal, so any
        // number of waiting calls may share one.
        linked?.addEventListener("abort", () => {
          waiter.gone = true;
          reject(linked.reason);
        });
        queue.push(waiter);
        serve();
      });
    },
    pause(waitMs) {
      const now = performance.now();
      held(now);
      const wait = waitMs ?? (leaves[freed] ?? now + perMs) - now;
      pausedUntil = Math.max(pausedUntil, now + wait);
      serve();
      return wait;
    },
  };
}
