// Sending one request: the last check of where it goes and what it carries,
// a timeout per attempt, and retries for what is safe to retry.
import { errorCodeForStatus, InvoiceXpressError, redactError, type InvoiceXpressErrorCode } from "./errors.js";
import { onAbort } from "./abort.js";
import type { RateLimiter } from "./rate-limit.js";

export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

interface TransportOptions {
  fetch: FetchLike;
  /** Every request must stay under this URL: same origin, same path prefix. */
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  maxRateLimitPauses: number;
  redact: (text: string) => string;
  limiter: RateLimiter | undefined;
  onWait: ((event: WaitEvent) => void) | undefined;
  logger: Logger | undefined;
}

/** Anything with a `debug` method that takes a line of text: `console`, pino, winston… */
export interface Logger {
  debug(message: string): void;
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
  /** The request's method and path, without its query: `GET`, `/invoices/1.json`. */
  method: string;
  path: string;
  /** What failed, for `retry`. */
  code?: InvoiceXpressErrorCode;
  status?: number;
}

// The methods a call the client did not check may use: a read's and an
// update's, both idempotent, so a repeat cures what these statuses report.
// (A checked call goes out with its own method: a create's is POST, which
// is not idempotent; see notIdempotent below.)
const specMethods = new Set(["GET", "PUT"]);
// The service's errors that a repeat of the same idempotent request can cure.
const retryableStatuses = new Set([429, 502, 503, 504]);

/**
 * Where the client puts what it checked (the method, the URL up to its
 * query, under the base URL, and the body), so that the transport can tell
 * whether a middleware changed it.
 */
export const checkedCall = Symbol();

/** The method of the request a response answers (a Response does not say). */
export const sentWith = Symbol();

/** On a response: whether the request was sent again after an attempt the service may have acted on. */
export const repeated = Symbol();

/** On an error answer of a call that is not idempotent: the sentence that says the service may have acted, and how to check. */
export const unsure = Symbol();

/**
 * openapi-fetch builds its request through this class instead of a `Request`:
 * the platform's fetch then builds the only `Request` of the call, and a retry
 * can send the same init again (a `Request` body can be read only once).
 */
export class RequestInitCarrier {
  declare readonly url: string;
  declare [checkedCall]?: [string, string, string | undefined];
  constructor(url: string, init: RequestInit) {
    Object.assign(this, init, { url });
  }
}

export function createTransport({ fetch, baseUrl, timeoutMs, maxRetries, maxRateLimitPauses, redact, limiter, onWait, logger }: TransportOptions) {
  const home = new URL(`${baseUrl}/`).href;
  const timeoutMessage = `Timed out after ${timeoutMs} ms.`;
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
    // Only an operation of the spec, with the method the spec gives it: the
    // retries rest on a read and an update being idempotent.
    const checked = request[checkedCall];
    const method = String(init.method);
    if (
      !(checked ? method === checked[0] : specMethods.has(method)) ||
      !url.startsWith(checked?.[1] ?? home) ||
      (checked && init.body !== checked[2])
    )
      throw new TypeError(`Not sent: only an operation of the spec (GET, PUT or POST) under ${home}, as checked, goes out.`);
    const once = notIdempotent(method, url);
    const callerSignal = request.signal ?? undefined;
    // The attempt a wait comes before.
    let attempt = 0;
    const shown = logger && redact(url);
    const log = (line: string) => observe(() => logger?.debug(line));
    const report = (reason: WaitEvent["reason"], waitMs: number, failure?: Pick<WaitEvent, "code" | "status">) => {
      log(`invoicexpress-openapi: ${method} ${shown} waits ${Math.round(waitMs)} ms before attempt ${attempt + 1} (${reason}${failure?.status ? ` after ${failure.status}` : failure?.code ? ` after ${failure.code}` : ""})`);
      observe(() => onWait?.({ reason, waitMs, attempt, method, path: new URL(url).pathname, ...failure }));
    };
    // Whether an attempt that failed may have reached the service (not a
    // 429, nor a connection that never opened): a refused repeat may then
    // be the first attempt's doing.
    let mayHaveActed = false;
    for (let failures = 0, pauses = 0; ; ) {
      callerSignal?.throwIfAborted();
      // The wait for a turn is not part of the attempt's time.
      const done = await limiter?.take(callerSignal, (waitMs) => report("queued", waitMs));
      if (done?.expired?.()) {
        done();
        continue;
      }
      // One controller per attempt, aborted by its timer (cheaper than
      // AbortSignal.timeout) or by the caller's signal. The attempt ends
      // then, even if the fetch ignores its signal.
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unlink: (() => void) | undefined;
      let response: Response | undefined;
      let failure: unknown;
      const started = logger && performance.now();
      try {
        init.signal = controller.signal;
        response = await new Promise<Response>((resolve, reject) => {
          const end = (reason: unknown) => {
            controller.abort(reason);
            reject(reason);
          };
          timer = setTimeout(() => end(new DOMException(timeoutMessage, "TimeoutError")), timeoutMs);
          unlink = onAbort(callerSignal, end);
          // Aborted by now (from onWait, say): nothing is sent, whatever the fetch would do with its signal.
          if (!callerSignal?.aborted) receive(fetch(url, init), url, method).then(resolve, reject);
        });
      } catch (error) {
        callerSignal?.throwIfAborted();
        failure = error;
      } finally {
        clearTimeout(timer);
        unlink?.();
        done?.();
      }
      if (logger) {
        const outcome = response ? response.status : controller.signal.aborted ? "timeout" : "network failure";
        log(`invoicexpress-openapi: ${method} ${shown} → ${outcome} in ${Math.round(performance.now() - started!)} ms (attempt ${attempt + 1})`);
      }

      // A failed attempt worth repeating: how long to wait first, and why.
      let wait: number;
      let why: Pick<WaitEvent, "code" | "status">;
      if (response) {
        const { status } = response;
        if (once && status >= 500) return Object.defineProperty(response, unsure, { value: unsureOutcome(url) });
        if (!retryableStatuses.has(status)) return Object.defineProperty(response, repeated, { value: mayHaveActed });
        const asked = retryAfterMs(response);
        if (status === 429 && limiter) {
          // Another program shares the account's window: the whole client
          // waits until the service takes requests again, so that the calls
          // behind this one do not run into 429s, and the call goes back in
          // line. Not a failure: the account's limit is only reached; but a
          // call that meets nothing else gives up, rather than wait for ever.
          const pause = limiter.pause(asked);
          if (asked! > 60_000 || pauses++ >= maxRateLimitPauses) return response;
          attempt++;
          report("rate_limited", pause, { code: "rate_limited", status });
          continue;
        }
        // A wait over a minute is the caller's decision, not the client's.
        if (asked! > 60_000) return response;
        if (failures >= maxRetries) return response;
        wait = asked ?? fullJitter(failures);
        why = { code: errorCodeForStatus(status), status };
        mayHaveActed ||= status !== 429;
      } else {
        // The caller's abort was thrown above: only the timer is left.
        const timedOut = controller.signal.aborted;
        const cause = redactError(failure, redact);
        // A create or an email is sent again only if it never left.
        const acted = once && (timedOut || !unsent(failure));
        const error = new InvoiceXpressError({
          code: timedOut ? "timeout" : "network",
          status: undefined,
          messages: [timedOut ? timeoutMessage : cause.message, ...(acted ? [unsureOutcome(url)] : [])],
          method,
          url: redact(url),
          cause,
        });
        if (acted || failures >= maxRetries) throw error;
        wait = fullJitter(failures);
        why = { code: error.code };
        mayHaveActed ||= timedOut || !unsent(failure);
      }
      failures++;
      attempt++;
      report("retry", wait, why);
      await sleep(wait, callerSignal);
    }
  };
}

// Calls that are not idempotent: a create makes another resource, an email
// sends another email, each time the service takes one. Such a call is sent
// again only where the service certainly did not act: after a 429, or when
// the connection failed before the request was written (its cause is a
// connect error). A timeout, a 5xx or a connection lost once the request
// was sent ends the call, saying so.
// An email is known by its path's last words in any form the service routes
// the same (Rails drops a trailing slash and a format, in any case).
const notIdempotent = (method: string, url: string) => method === "POST" || /\/email-document(?:\.json)?\/*(?:\?|$)/i.test(url);
const connectErrors = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const unsent = (failure: unknown) => {
  const { code, cause } = Object(failure) as { code?: unknown; cause?: { code?: unknown } };
  return connectErrors.has(String(code)) || connectErrors.has(String(Object(cause).code));
};
/** What to check before a call that may have gone through is made again. */
function unsureOutcome(url: string): string {
  const path = new URL(url).pathname;
  const check = path.endsWith("/email-document.json")
    ? "ask the recipient, or look at the document in InvoiceXpress, before you send it again"
    : path.endsWith("/clients.json")
      ? "find the client by its code (findClientByCode) before you create it again"
      : path.endsWith("/purchase_orders.json")
        ? "look for it among the purchase orders in InvoiceXpress before you create it again"
        : "look for it among the documents of its type in InvoiceXpress before you create it again";
  return `The service may have acted on it, so it was not sent again: ${check}`;
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
 * other. An error body is read up to 64 KiB (and one chunk more): enough
 * for any message, not for a hostile stream. The copy keeps the URL and the
 * method asked for, which an error made from it shows, the key masked.
 */
async function receive(fetched: Promise<Response>, url: string, method: string): Promise<Response> {
  let answer = await fetched;
  const { status, body } = answer;
  if (body && answer.headers.get("content-length") !== "0") {
    const chunks: BlobPart[] = [];
    const reader = body.getReader();
    for (let size = 0; answer.ok || size < 65_536; ) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += (value as Uint8Array).length;
    }
    reader.cancel().catch(() => {});
    // A Response cannot be built with a status above 599, which is still an HTTP answer.
    answer = new Response(new Blob(chunks), { status: Math.min(status, 599), headers: answer.headers });
  }
  return Object.defineProperties(answer, { url: { value: url }, status: { value: status }, [sentWith]: { value: method } });
}

/** Calls an observer (the logger, onWait): whatever it throws or rejects with, the call goes on as it would without it. */
function observe(observer: () => unknown): void {
  try {
    (observer() as Promise<unknown> | undefined)?.then?.(undefined, () => {});
  } catch {}
}

/** The wait a Retry-After header asks for, in milliseconds; undefined without a readable one, or one that asks for none. */
function retryAfterMs(response: Response): number | undefined {
  // Seconds, or else an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"); no
  // header reads as "null", which is neither.
  const header = response.headers.get("retry-after")!;
  const wait = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  // 0 or a date gone by asks for no wait at all, which a 429 cannot mean.
  return wait > 0 ? wait : undefined;
}

// Up to 0.5 s, 1 s, 2 s, ... and never more than 10 s.
const fullJitter = (attempt: number) => Math.random() * Math.min(10_000, 500 * 2 ** attempt);

function sleep(ms: number, callerSignal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(unlink()), ms);
    const unlink = onAbort(callerSignal, (reason) => {
      clearTimeout(timer);
      reject(reason);
    });
  });
}
