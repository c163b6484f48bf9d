// Sending one request: a timeout per attempt, and retries for what is safe to retry.
import { InvoiceXpressError, redactError } from "./errors.js";

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

interface TransportOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxRetries: number;
  redact: (text: string) => string;
}

// The service's errors that a repeat of the same idempotent update can cure.
const retryableStatuses = new Set([429, 502, 503, 504]);
const backoffBaseMs = 500;
const backoffCapMs = 10_000;
// A Retry-After longer than this is reported to the caller instead of waited out.
const longestWaitMs = 60_000;

/**
 * openapi-fetch builds its request through this class instead of a `Request`:
 * the platform's fetch then builds the only `Request` of the call, and a retry
 * can send the same init again (a `Request` body can be read only once).
 */
export class RequestInitCarrier {
  readonly url: string;
  signal?: AbortSignal | null;
  constructor(url: string, init: RequestInit) {
    Object.assign(this, init);
    this.url = url;
  }
}

export function createTransport({ fetch, timeoutMs, maxRetries, redact }: TransportOptions) {
  return async function send(request: RequestInitCarrier & RequestInit): Promise<Response> {
    const callerSignal = request.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      // One controller per attempt, aborted by its timer or by the caller:
      // cheaper than AbortSignal.timeout and AbortSignal.any on every request.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`No response within ${timeoutMs} ms.`, "TimeoutError"));
      }, timeoutMs);
      const abort = () => controller.abort(callerSignal!.reason);
      callerSignal?.addEventListener("abort", abort);
      let response: Response | undefined;
      let failure: unknown;
      try {
        if (callerSignal?.aborted) throw callerSignal.reason;
        // The carrier is this call's own init: it can carry the attempt's signal.
        request.signal = controller.signal;
        const answer = await fetch(request.url, request);
        // The body is read within the attempt, so that its timeout covers it
        // and a connection lost half-way through is retried like any other.
        response =
          answer.body && answer.headers.get("content-length") !== "0"
            ? new Response(await answer.arrayBuffer(), answer)
            : answer;
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        failure = error;
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener("abort", abort);
      }

      if (response) {
        const wait = retryableStatuses.has(response.status) && attempt < maxRetries ? retryDelay(response, attempt) : undefined;
        if (wait === undefined) return response;
        await sleep(wait, callerSignal);
        continue;
      }
      const cause = redactError(failure, redact);
      const error = new InvoiceXpressError({
        code: timedOut ? "timeout" : "network",
        messages: [timedOut ? `No response within ${timeoutMs} ms.` : cause.message],
        method: request.method ?? "GET",
        url: redact(request.url),
        cause,
      });
      if (attempt >= maxRetries) throw error;
      await sleep(fullJitter(attempt), callerSignal);
    }
  };
}

function retryDelay(response: Response, attempt: number): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return fullJitter(attempt);
  // Seconds, or an HTTP date (which has letters: "Wed, 21 Oct 2026 07:28:00 GMT").
  const wait = /^\s*\d+\s*$/.test(header)
    ? Number(header) * 1000
    : /[a-z]/i.test(header)
      ? Date.parse(header) - Date.now()
      : Number.NaN;
  if (Number.isNaN(wait)) return fullJitter(attempt);
  return wait > longestWaitMs ? undefined : Math.max(0, wait);
}

const fullJitter = (attempt: number) => Math.random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
