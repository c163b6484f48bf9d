// Errors the client throws, and the one place that keeps the API key out of them.

export type InvoiceXpressErrorCode =
  | "not_draft"
  | "unauthorized"
  | "not_found"
  | "unprocessable"
  | "rate_limited"
  | "http"
  | "timeout"
  | "network";

/** What every InvoiceXpressError holds, whatever its code. */
interface ErrorFields {
  messages: string[];
  method: string;
  /** The request URL with the API key masked. */
  url: string;
}

/** The code of an error the service answered. */
type AnswerCode = Exclude<InvoiceXpressErrorCode, "timeout" | "network" | "not_draft">;

/** The HTTP status, for an answer; none for a timeout or a network failure. */
type Outcome =
  | { code: AnswerCode; status: number }
  // One member each, so that comparing the code with either narrows.
  | { code: "timeout"; status: undefined }
  | { code: "network"; status: undefined }
  // An edit of a document that is no longer a draft: refused before anything is written.
  | { code: "not_draft"; status: undefined };

type InvoiceXpressErrorInit = ErrorFields & Outcome & { cause?: unknown };

class InvoiceXpressErrorClass extends Error {
  override readonly name = "InvoiceXpressError";
  declare readonly messages: string[];
  declare readonly method: string;
  declare readonly url: string;

  constructor({ cause, ...fields }: InvoiceXpressErrorInit) {
    const { code, status, messages, method, url } = fields;
    super(`${method} ${url} failed (${status ?? code}): ${sentences(messages)}`, cause === undefined ? undefined : { cause });
    Object.assign(this, fields);
  }
}
// Node prints an uncaught error under its class's name: the name it is
// exported under, whatever a minifier calls the class.
Object.defineProperty(InvoiceXpressErrorClass, "name", { value: "InvoiceXpressError" });

/**
 * A request that did not succeed: an HTTP error status, a timeout or a
 * network failure. Its `code` tells which, and narrows `status`: a number
 * for an answer, undefined for `timeout` and `network`.
 */
export type InvoiceXpressError = InvoiceXpressErrorClass & Readonly<Outcome>;
export const InvoiceXpressError = InvoiceXpressErrorClass as unknown as {
  new (init: InvoiceXpressErrorInit): InvoiceXpressError;
  readonly prototype: InvoiceXpressError;
};

/** Messages as one text: each ends as it ends, joined by "; ", with one full stop at the end (none after a question). */
export const sentences = (messages: string[]) => messages.map((m) => m.replace(/\.$/, "")).join("; ").replace(/[^?]$/, "$&.");

// The code of each status the spec documents.
const statuses: Record<number, InvoiceXpressErrorCode> = { 401: "unauthorized", 404: "not_found", 422: "unprocessable", 429: "rate_limited" };

/** An answer's code: timeouts and network failures have no status. */
export const errorCodeForStatus = (status: number) => (statuses[status] ?? "http") as AnswerCode;

/**
 * Every message in an error body, whichever of the service's shapes it uses.
 * (The project's mock writes the rules a request broke into its 422 body,
 * in this shape too.) Falls back to a sentence naming the status (the
 * error's `code` says what it means) when there is no message.
 */
export function errorMessages(body: unknown, status: number): string[] {
  // A 3xx (or a browser's opaque redirect, status 0) is not followed, so its body is not the service's word.
  if (status < 400) return [`A redirect (HTTP ${status}), not followed.`];
  const found = collectMessages(body).filter((m) => m.trim());
  return found[0] ? found : [`The service answered HTTP ${status} without a message.`];
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
 * `api_key` parameter.
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
  // A short key is left where it runs into a word ("any" in "company"); a
  // longer one is masked wherever it is (after a "%3D", say).
  const word = /[\p{L}\p{N}]/u;
  const inWord = (text: string, at: number) => apiKey.length < 8 && word.test(text[at] ?? "") && word.test(text[at - 1] ?? "");
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
