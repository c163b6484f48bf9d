// Errors the client throws, and the one place that keeps the API key out of them.

export type InvoiceXpressErrorCode =
  | "unauthorized"
  | "not_found"
  | "unprocessable"
  | "rate_limited"
  | "http"
  | "timeout"
  | "network";

interface InvoiceXpressErrorInit {
  code: InvoiceXpressErrorCode;
  /** The HTTP status; undefined for network failures and timeouts. */
  status?: number;
  messages: string[];
  method: string;
  /** The request URL with the API key masked. */
  url: string;
  cause?: unknown;
}

/** A request that did not succeed: an HTTP error status, a timeout or a network failure. */
export class InvoiceXpressError extends Error {
  override readonly name = "InvoiceXpressError";
  declare readonly code: InvoiceXpressErrorCode;
  declare readonly status: number | undefined;
  declare readonly messages: string[];
  declare readonly method: string;
  declare readonly url: string;

  constructor({ cause, ...fields }: InvoiceXpressErrorInit) {
    const { code, status, messages, method, url } = fields;
    super(`${method} ${url} failed (${status ?? code}): ${messages.join("; ")}`, cause === undefined ? undefined : { cause });
    Object.assign(this, { status: undefined }, fields);
  }
}

// The code of each status the spec documents.
const statuses: Record<number, InvoiceXpressErrorCode> = { 401: "unauthorized", 404: "not_found", 422: "unprocessable", 429: "rate_limited" };

export const errorCodeForStatus = (status: number): InvoiceXpressErrorCode => statuses[status] ?? "http";

/**
 * Every message in an error body, whichever of the service's shapes it uses.
 * The Prism mock names the violations it found in a header, which say more
 * than its example body. Falls back to a sentence naming the status (the
 * error's `code` says what it means) when there is no message.
 */
export function errorMessages(body: unknown, status: number, headers?: Headers): string[] {
  // A 3xx (or a browser's opaque redirect, status 0) is not followed, so its body is not the service's word.
  if (status < 400) return [`Redirect (HTTP ${status}) not followed: the API key stays with its origin.`];
  const violations = messagesOf(parseJson(headers?.get("sl-violations") ?? "", undefined), 0);
  const found = (violations.length > 0 ? violations : collectMessages(body)).filter((m) => m.trim() !== "");
  return found.length > 0 ? found : [`The service answered HTTP ${status} without a message.`];
}

// The service's shapes nest three deep at most; a hostile body nests
// thousands deep. (Its size is bounded where it is read, in the transport.)
const deepestMessage = 8;

function collectMessages(body: unknown): string[] {
  if (typeof body === "string") {
    const text = body.trim();
    // Plain text is a message; a proxy's HTML page, JSON cut short, binary
    // bytes or a long dump are not.
    return /^[^<{[][^\u0000-\u0008\u000e-\u001f]{0,499}$/.test(text) ? [text] : [];
  }
  return messagesOf(body, 0);
}

/** `text` as JSON, or `fallback` when it is not JSON. */
export function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Strings under the keys the service's error shapes use, in order, no deeper than `deepestMessage`. */
function messagesOf(value: unknown, depth: number): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null || depth >= deepestMessage) return [];
  const record = value as Record<string, unknown>;
  const key = Array.isArray(value) ? undefined : messageKeys.find((name) => name in record);
  return (key ? [record[key]] : Object.values(record)).flatMap((item) => messagesOf(item, depth + 1));
}
const messageKeys = ["errors", "error", "validation", "message", "detail", "title"];

/**
 * Removes the API key from any text: the key in every form it takes on the
 * wire and back (each character as typed or percent-escaped in either case,
 * a space also as "+": what `encodeURIComponent`, the URL parser and
 * `URLSearchParams` write, and any mix of them), and whatever stands as the
 * `api_key` parameter. A match that starts or ends inside a word is left
 * alone, so that a short key such as "any" leaves "Germany" as it is.
 */
export function createRedactor(apiKey: string): (text: string) => string {
  const key = new RegExp(
    [...apiKey]
      .map((character) => {
        // What encodeURIComponent leaves as it is, URLSearchParams or the URL
        // parser may still escape ("'", "!", "(", ...): match the escape too.
        const escaped = encodeURIComponent(character);
        const percent = escaped === character ? `%${character.charCodeAt(0).toString(16)}` : escaped;
        const anyCase = percent.replace(/[a-f]/gi, (hex) => `[${hex.toLowerCase()}${hex.toUpperCase()}]`);
        return `(?:${character.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}|${anyCase}${character === " " ? "|\\+" : ""})`;
      })
      .join(""),
    "g",
  );
  const word = /[\p{L}\p{N}]/u;
  const inWord = (text: string, at: number) => word.test(text[at] ?? "") && word.test(text[at - 1] ?? "");
  return (text) =>
    text
      .replace(key, (found, at: number) => (inWord(text, at) || inWord(text, at + found.length) ? found : "***"))
      .replace(/([?&]api_key=)[^&#\s"']*/g, "$1***");
}

/**
 * A stand-in for a thrown value that is safe to show: one error whose
 * message joins the value's message and its cause's, with the key removed,
 * the same name, and the plain own fields of both (`code`, `errno`,
 * `address`, …; the value's own win), strings masked, objects dropped.
 */
export function redactError(error: unknown, redact: (text: string) => string): Error {
  try {
    const { name = "Error", message = String(error), cause } = error instanceof Error ? error : ({} as Partial<Error>);
    const copy = new Error(redact(message + (cause instanceof Error ? `: ${cause.message}` : ""))) as Error & Record<string, unknown>;
    for (const source of [cause, error]) {
      for (const [field, value] of Object.entries(Object(source))) {
        if (typeof value !== "object" && typeof value !== "function") copy[field] = typeof value === "string" ? redact(value) : value;
      }
    }
    copy.name = redact(name);
    return copy;
  } catch {
    // A getter or toString that throws: what it threw is not shown either.
    return new Error("The fetch failed; its error cannot be read.");
  }
}
