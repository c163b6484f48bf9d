// Sending one request: the last check of where it goes and what it carries,
// a timeout per attempt, and retries for what is safe to retry.
import { errorCodeForStatus, InvoiceXpressError, redactError, type InvoiceXpressErrorCode } from "./errors.js";
import type { RateLimiter } from "./rate-limit.js";

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

interface TransportOptions {
  fetch: FetchLike;
  /** Every request must stay under this URL: same origin, same path prefix. */
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  redact: (text: string) => string;
  limiter: RateLimiter | undefined;
  onWait: ((event: WaitEvent) => void) | undefined;
}

/** Why a call waits, how long, and before which attempt (0 is the first). The API key is never part of it. */
export interface WaitEvent {
  /**
   * `queued`: no turn is free under the client's rate limit (`waitMs` is the
   * limiter's estimate); `rate_limited`: the service answered 429, and the
   * whole client pauses; `retry`: a failed attempt is repeated after a backoff.
   */
  reason: "queued" | "rate_limited" | "retry";
  waitMs: number;
  attempt: number;
  /** The request's path (every operation is a PUT), without its query. */
  path: string;
  /** What failed, for `retry`. */
  code?: InvoiceXpressErrorCode;
  status?: number;
}

// The service's errors that a repeat of the same idempotent update can cure.
const retryableStatuses = new Set([429, 502, 503, 504]);
const backoffBaseMs = 500;
const backoffCapMs = 10_000;
// A Retry-After longer than this is reported to the caller instead of waited out.
const longestWaitMs = 60_000;
// An error body is read only so far (and at most one chunk more): enough
// for any message, not for a hostile stream.
const errorBodyLimit = 65_536;

/** Where the client puts the body it checked, so that the transport can tell whether a middleware changed it. */
export const checkedBody = Symbol();

/**
 * openapi-fetch builds its request through this class instead of a `Request`:
 * the platform's fetch then builds the only `Request` of the call, and a retry
 * can send the same init again (a `Request` body can be read only once).
 */
export class RequestInitCarrier {
  declare readonly url: string;
  declare [checkedBody]?: string;
  constructor(url: string, init: RequestInit) {
    Object.assign(this, init, { url });
  }
}

export function createTransport({ fetch, baseUrl, timeoutMs, maxRetries, redact, limiter, onWait }: TransportOptions) {
  const home = new URL(`${baseUrl}/`).href;
  const timeoutMessage = `No response within ${timeoutMs} ms.`;
  return async function send(request: RequestInitCarrier & RequestInit): Promise<Response> {
    // Middleware sees the request and may change it (openapi-fetch lets it
    // return only a request of the carrier's class): this is the one place
    // that sees what would go out. Each field is read once, and the fetch is
    // handed that URL and a new init with only these fields: nothing else
    // (Node's `dispatcher`, say) can route the request. A parsed URL's href
    // starts with the base URL's only for the same origin, no user name, and
    // a path under the base path once dot segments are resolved.
    const url = hrefOf(request.url);
    const init = {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // The service has no reason to redirect an update, and a redirect could
      // carry the key in its query to any host: the 3xx is the answer.
      redirect: "manual",
    } as RequestInit;
    const checked = request[checkedBody];
    if (!url.startsWith(home) || (checked !== undefined && init.body !== checked))
      throw new TypeError(`Not sent: a middleware moved it off ${home} or changed its body.`);
    const callerSignal = request.signal ?? undefined;
    const method = init.method ?? "GET";
    let attempt = 0;
    // A queued wait comes before this attempt; the others before the next.
    const report = (reason: WaitEvent["reason"], waitMs: number, failure?: Pick<WaitEvent, "code" | "status">) =>
      onWait?.({ reason, waitMs, attempt: attempt + (reason === "queued" ? 0 : 1), path: new URL(url).pathname, ...failure });
    for (let failures = 0; ; attempt++) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      // The wait for a turn is not part of the attempt's time.
      const done = await limiter?.take(callerSignal, (waitMs) => report("queued", waitMs));
      // One controller per attempt, aborted by its timer: cheaper than
      // AbortSignal.timeout. A caller's signal joins it through
      // AbortSignal.any, which adds no listener to the caller's signal, so
      // one signal can be shared by any number of calls.
      const controller = new AbortController();
      const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
      // The attempt ends when its signal aborts, even if the fetch ignores
      // the signal. (Listening to the timer's own signal would cost more than
      // the rest of the attempt's bookkeeping together.)
      let endAttempt!: (reason: unknown) => void;
      const timer = setTimeout(() => {
        const reason = new DOMException(timeoutMessage, "TimeoutError");
        controller.abort(reason);
        endAttempt(reason);
      }, timeoutMs);
      let response: Response | undefined;
      let failure: unknown;
      try {
        init.signal = signal;
        response = await new Promise<Response>((resolve, reject) => {
          endAttempt = reject;
          if (callerSignal) signal.addEventListener("abort", () => reject(signal.reason));
          receive(fetch(url, init)).then(resolve, reject);
        });
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        failure = error;
      } finally {
        clearTimeout(timer);
        done?.();
      }

      // A failed attempt worth repeating: how long to wait first, and why.
      let wait: number;
      let why: Pick<WaitEvent, "code" | "status">;
      if (response) {
        const { status } = response;
        if (!retryableStatuses.has(status)) return response;
        const asked = retryAfterMs(response);
        // A wait that long is the caller's decision, not the client's.
        if (asked! > longestWaitMs) return response;
        if (status === 429 && limiter) {
          // Another program shares the account's window: the whole client
          // waits until the service takes requests again, and the call goes
          // back in line. Not a failure: the account's limit is only reached.
          report("rate_limited", limiter.pause(asked), { code: "rate_limited", status });
          continue;
        }
        if (failures >= maxRetries) return response;
        wait = asked ?? fullJitter(failures);
        why = { code: errorCodeForStatus(status), status };
      } else {
        // Only the timer aborts the attempt's own controller.
        const timedOut = controller.signal.aborted;
        const cause = redactError(failure, redact);
        const error = new InvoiceXpressError({
          code: timedOut ? "timeout" : "network",
          status: undefined,
          messages: [timedOut ? timeoutMessage : cause.message],
          method,
          url: redact(url),
          cause,
        });
        if (failures >= maxRetries) throw error;
        wait = fullJitter(failures);
        why = { code: error.code };
      }
      failures++;
      report("retry", wait, why);
      await sleep(wait, callerSignal);
    }
  };
}

function hrefOf(url: unknown): string {
  try {
    return new URL(url as string).href;
  } catch {
    return "";
  }
}

/**
 * One attempt's response with its body read, so that the attempt's timeout
 * covers the body and a connection lost half-way through is retried like any
 * other. An error body is cut at `errorBodyLimit`.
 */
async function receive(fetched: Promise<Response>): Promise<Response> {
  const answer = await fetched;
  if (!answer.body || answer.headers.get("content-length") === "0") return answer;
  if (answer.ok) return new Response(await answer.arrayBuffer(), answer);
  const chunks: BlobPart[] = [];
  const reader = answer.body.getReader();
  for (let size = 0; size < errorBodyLimit; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += (value as Uint8Array).length;
  }
  reader.cancel().catch(() => {});
  const { status } = answer;
  // A Response cannot be built with a status above 599, which is still an HTTP answer.
  const copy = new Response(new Blob(chunks), { status: Math.min(status, 599), headers: answer.headers });
  return status > 599 ? Object.defineProperty(copy, "status", { value: status }) : copy;
}

/** The wait a Retry-After header asks for, in milliseconds; undefined without a readable one. */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return undefined;
  // Seconds, or an HTTP date (which has letters: "Wed, 21 Oct 2026 07:28:00 GMT").
  const wait = /^\s*\d+\s*$/.test(header)
    ? Number(header) * 1000
    : /[a-z]/i.test(header)
      ? Date.parse(header) - Date.now()
      : Number.NaN;
  return Number.isNaN(wait) ? undefined : Math.max(0, wait);
}

const fullJitter = (attempt: number) => Math.random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt);

function sleep(ms: number, callerSignal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const signal = callerSignal && AbortSignal.any([callerSignal]);
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
