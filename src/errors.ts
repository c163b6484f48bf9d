// Errors the client throws, and the one place that keeps the API key out of them.

export type InvoiceXpressErrorCode =
  | "unauthorized"
  | "not_found"
  | "unprocessable"
  | "rate_limited"
  | "http"
  | "timeout"
  | "network";

export interface InvoiceXpressErrorInit {
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
  readonly code: InvoiceXpressErrorCode;
  readonly status: number | undefined;
  readonly messages: string[];
  readonly method: string;
  readonly url: string;

  constructor({ code, status, messages, method, url, cause }: InvoiceXpressErrorInit) {
    super(`${method} ${url} failed (${status ?? code}): ${messages.join("; ")}`, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = status;
    this.messages = messages;
    this.method = method;
    this.url = url;
  }
}

const codeByStatus: Record<number, InvoiceXpressErrorCode> = {
  401: "unauthorized",
  404: "not_found",
  422: "unprocessable",
  429: "rate_limited",
};

const messageByStatus: Record<number, string> = {
  401: "Access denied: the API key is missing or wrong.",
  404: "Not found: nothing has that ID.",
  422: "Some parameters were incorrect.",
  429: "Rate limited: over 780 requests a minute.",
};

export const errorCodeForStatus = (status: number): InvoiceXpressErrorCode => codeByStatus[status] ?? "http";

/**
 * Every message in an error body, whichever of the service's shapes it uses.
 * The Prism mock names the violations it found in a header, which say more
 * than its example body. Falls back to a sentence about the status when
 * there is no message.
 */
export function errorMessages(body: unknown, status: number, headers?: Headers): string[] {
  const violations = headers?.get("sl-violations");
  const found = (violations ? messagesOf(parseJson(violations)) : collectMessages(body)).filter((m) => m.trim() !== "");
  return found.length > 0 ? found : [messageByStatus[status] ?? `The service answered HTTP ${status}.`];
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
  return (text) =>
    text.replace(/([?&]api_key=)[^&#\s"']*/g, "$1***").split(encoded).join("***").split(apiKey).join("***");
}

/** A copy of a thrown value whose message, stack and causes have the key removed. */
export function redactError(error: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redact(error) : undefined;
  const cause = depth < 3 && error.cause !== undefined ? redactError(error.cause, redact, depth + 1) : undefined;
  const copy = new Error(redact(error.message), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
