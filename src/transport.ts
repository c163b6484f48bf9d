// Sending one request: a timeout per attempt, and retries for what is safe to retry.
import { InvoiceXpressError, redactError } from "./errors.js";

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
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
  constructor(url: string, init: RequestInit) {
    Object.assign(this, init);
    this.url = url;
  }
}

export function createTransport({ fetch, timeoutMs, maxRetries, redact }: TransportOptions) {
  return async function send(request: RequestInitCarrier | Request): Promise<Response> {
    const init = request as RequestInit & { url: string };
    const callerSignal = init.signal ?? undefined;
    const method = init.method ?? "GET";
    const url = redact(init.url);
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      let response: Response;
      try {
        response =
          request instanceof RequestInitCarrier
            ? await fetch(init.url, { ...init, signal })
            : await fetch(request.clone(), { signal });
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        const timedOut = timeout.aborted;
        const failure = new InvoiceXpressError({
          code: timedOut ? "timeout" : "network",
          messages: [timedOut ? `No response within ${timeoutMs} ms.` : redact(describe(error))],
          method,
          url,
          cause: redactError(error, redact),
        });
        if (attempt >= maxRetries) throw failure;
        await sleep(fullJitter(attempt), callerSignal);
        continue;
      }
      const wait = retryableStatuses.has(response.status) && attempt < maxRetries ? retryDelay(response, attempt) : undefined;
      if (wait === undefined) return response;
      await response.body?.cancel();
      await sleep(wait, callerSignal);
    }
  };
}

function describe(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.message === "string" ? `: ${cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${detail}`;
}

function retryDelay(response: Response, attempt: number): number | undefined {
  const header = response.headers.get("retry-after");
  if (header === null) return fullJitter(attempt);
  const wait = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
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
