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

// The code of each status the spec documents, and what it means when the body says nothing.
const statuses: Record<number, [InvoiceXpressErrorCode, string]> = {
  401: ["unauthorized", "Access denied: the API key is missing or wrong."],
  404: ["not_found", "Not found: nothing has that ID."],
  422: ["unprocessable", "Some parameters were incorrect."],
  429: ["rate_limited", "Rate limited: over 780 requests a minute."],
};

export const errorCodeForStatus = (status: number): InvoiceXpressErrorCode => statuses[status]?.[0] ?? "http";

/**
 * Every message in an error body, whichever of the service's shapes it uses.
 * The Prism mock names the violations it found in a header, which say more
 * than its example body. Falls back to a sentence about the status when
 * there is no message.
 */
export function errorMessages(body: unknown, status: number, headers?: Headers): string[] {
  const violations = messagesOf(parseJson(headers?.get("sl-violations") ?? "", undefined));
  const found = (violations.length > 0 ? violations : collectMessages(body)).filter((m) => m.trim() !== "");
  return found.length > 0 ? found : [statuses[status]?.[1] ?? `The service answered HTTP ${status}.`];
}

function collectMessages(body: unknown): string[] {
  if (typeof body === "string") {
    const text = body.trim();
    // Plain text is a message; a proxy's HTML page, JSON cut short, binary
    // bytes or a long dump are not.
    return /^[^<{[][^\u0000-\u0008\u000e-\u001f]{0,499}$/.test(text) ? [text] : [];
  }
  return messagesOf(body);
}

/** `text` as JSON, or `fallback` when it is not JSON. */
export function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** Strings under the keys the service's error shapes use, in order. */
function messagesOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  for (const key of ["errors", "error", "validation", "message", "detail", "title"]) {
    if (key in record) return messagesOf(record[key]);
  }
  return Object.values(record).flatMap(messagesOf);
}

/** Removes the API key from any text: the query parameter, and the key itself as typed or as encoded in a URL. */
export function createRedactor(apiKey: string): (text: string) => string {
  const encoded = encodeURIComponent(apiKey);
  // The key itself first, whatever characters it holds; then whatever else
  // stands as the api_key parameter.
  return (text) =>
    text.split(encoded).join("***").split(apiKey).join("***").replace(/([?&]api_key=)[^&#\s"']*/g, "$1***");
}

/**
 * A stand-in for a thrown value that is safe to show: one error whose
 * message joins the value's message and its cause's, with the key removed,
 * and the same name and (system) code.
 */
export function redactError(error: unknown, redact: (text: string) => string): Error {
  const { name = "Error", message = String(error), cause } = error instanceof Error ? error : ({} as Partial<Error>);
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  const copy = Object.assign(new Error(redact(message + detail)), { name });
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? Object.assign(copy, { code }) : copy;
}
