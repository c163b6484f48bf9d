// An InvoiceXpress account in memory, for users' own tests: it answers the
// spec's reads and updates as the service does, with state, and fails on
// demand. It plugs in as the client's `fetch`, or through msw.
import type { ClientRead, DocumentRead, DocumentType, PurchaseOrderRead } from "../../generated/schema.js";
import { schemas } from "../../generated/request-schemas.js";
import { messageProblems, operationOf, requestProblems, refusal } from "../mock/refusal.js";
import { hostLabel } from "../hosts.js";
import { classNames, createHoldings, type Held } from "./held.js";
import { lifeRoutes, type RecordedEmail } from "./life.js";
import { mswHandlers, type HandlerOptions } from "./msw.js";
import { json, routes as updateRoutes, type Route, type RoutedRequest } from "./routes.js";
import { defaultSeed } from "./seed.js";

export type { Held };

/** A document as the reads return it, with the type its path names (`invoices`, or the read's `Invoice`). */
export type SeedDocument = DocumentRead & { id: number | string; type: DocumentType | string; status: string };
/** A purchase order as the read returns it; only a `draft` one can change. */
export type SeedPurchaseOrder = PurchaseOrderRead & { id: number | string; status: string };

export interface FakeAccountSeed {
  /**
   * The account's name: `account.handlers()` then answer its host alone,
   * `https://{accountName}.app.invoicexpress.com` (give each of several
   * accounts its own). Without it they answer every account's host.
   */
  accountName?: string;
  /** When given, a request with another key answers 401; without it, any key will do (but one is needed). */
  apiKey?: string;
  clients?: (ClientRead & { id: number | string })[];
  purchaseOrders?: SeedPurchaseOrder[];
  documents?: SeedDocument[];
}

/** What a request asked, as the account saw it (the key masked). */
export interface RecordedRequest {
  method: string;
  /** The operation's path, without the query: `/invoices/1.json` (under `handlers({ baseUrl })`, the path below the base URL's). */
  path: string;
  /** The URL, the key's value shown as `***`. */
  url: string;
  /** The body, parsed as JSON (its text when it is not JSON), or undefined; the key shown as `***`. */
  body: unknown;
}

/** A failure the next requests meet instead of an answer. */
export type Fault =
  /** `retryAfter`: the seconds its Retry-After header asks for; 1 when not given, none with `null`. */
  | { status: 429; retryAfter?: number | null }
  | { status: 500 | 502 | 503 | 504 }
  | "network"
  | "hang"
  /** The account acts on the request as it would, then the connection is lost before the answer arrives. */
  | "lost";

export interface FakeAccount {
  /** Answers a request as the service would: hand it to the client as its `fetch`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Every request the account received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * The account as Mock Service Worker request handlers (msw 2, an optional
   * peer): `setupServer(...account.handlers())` answers your code's calls
   * to the seed's `accountName` host (every account's host without one),
   * or to `baseUrl`.
   */
  handlers(options?: HandlerOptions): ReturnType<typeof mswHandlers>;
  /** The next `count` requests meet `fault` instead of an answer. */
  failNext(count: number, fault: Fault): void;
  /** What the account holds now, as the reads return it (copies). */
  client(id: number | string): Held<ClientRead> | undefined;
  purchaseOrder(id: number | string): Held<PurchaseOrderRead> | undefined;
  document(type: DocumentType, id: number | string): Held<DocumentRead> | undefined;
  readonly clients: Held<ClientRead>[];
  readonly purchaseOrders: Held<PurchaseOrderRead>[];
  readonly documents: (Held<DocumentRead> & { type: string })[];
  /** Every email the account was asked to send, in order. */
  readonly emails: RecordedEmail[];
}

// Each operation the account answers: the updates and reads, and the life around them.
const routes: Record<string, Route> = { ...updateRoutes, ...lifeRoutes };

const documentTypes = schemas.DocumentType!.enum as DocumentType[];
const pathTypeOf = (type: string) =>
  (documentTypes as string[]).includes(type) ? (type as DocumentType) : (Object.entries(classNames).find(([, name]) => name === type)?.[0] as DocumentType);

// As the live service answered a wrong key (the spec's AccessDeniedError).
const invalidKey = { errors: [{ error: "Invalid API key" }] };

export function createFakeAccount(given: FakeAccountSeed = defaultSeed): FakeAccount {
  // A copy: what the caller changes in its seed later changes nothing here.
  const seed = structuredClone(given);
  const { accountName, apiKey } = seed;
  if (accountName !== undefined && !(typeof accountName === "string" && hostLabel.test(accountName)))
    throw new TypeError(`createFakeAccount: accountName must be an account's name alone, such as acme for acme.app.invoicexpress.com; got ${JSON.stringify(String(accountName).replace(/[^\w.*-].*/s, "…"))}.`);
  const holdings = createHoldings(
    seed.clients ?? [],
    seed.purchaseOrders ?? [],
    (seed.documents ?? []).map((document) => {
      const type = pathTypeOf(document.type);
      if (!type) throw new TypeError(`createFakeAccount: document ${document.id} has type ${JSON.stringify(document.type)}; expected one of ${documentTypes.join(", ")}.`);
      return [`${type}/${document.id}`, { ...document, type: classNames[type] }];
    }),
  );
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const copy = <T>(value: T): T => structuredClone(value);

  function answer(request: Request, url: URL, bytes: Uint8Array, text: string, shown: RoutedRequest["shown"]): Response {
    const key = queryOf(url.search).find(([name]) => name === "api_key")?.[1];
    if (!key || (apiKey !== undefined && key !== apiKey)) return json(401, invalidKey);
    let path = url.pathname + url.search;
    let operation: ReturnType<typeof operationOf>;
    try {
      operation = operationOf(request.method, path);
    } catch {
      // A malformed %-escape in the path: a path of no operation of the spec.
      path = url.search;
    }
    const params = operation && pathParams(operation.template, url.pathname);
    // The mock's and the proxy's 422, in the same words as the client's RequestValidationError.
    const contentType = request.headers.get("content-type");
    const problems = [
      ...messageProblems(path, contentType === null ? [] : [contentType], bytes as never),
      ...(requestProblems(request.method, path, text || undefined, operation && { ...operation, params: { ...operation.params, ...params } }) ?? []),
    ];
    if (problems.length > 0 || !operation) return json(422, JSON.parse(refusal(problems).body));
    const route = routes[operation.operationId];
    if (!route) return json(501, { errors: { error: `The fake account does not answer ${operation.operationId} (${request.method} ${operation.template}) yet.` } });
    const query = Object.fromEntries(queryOf(url.search).filter(([name]) => name !== "api_key"));
    return route(holdings, { operationId: operation.operationId, params: params!, query, body: text ? JSON.parse(text) : undefined, shown });
  }

  /** A request to the account whose root is `basePath` on its host (a base URL's path, for the handlers): recorded, then met by a fault or answered. */
  async function receive(request: Request, basePath = "", signal: AbortSignal | null | undefined = request.signal): Promise<Response> {
    const sent = new URL(request.url);
    // The operation's path under the base URL's, as the service at its root would see it.
    const url = basePath && sent.pathname.startsWith(`${basePath}/`) ? new URL(sent.pathname.slice(basePath.length) + sent.search, sent.origin) : sent;
    const bytes = new Uint8Array(await request.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const secrets = [apiKey, ...queryOf(url.search).filter(([name]) => isKeyName(name)).map(([, value]) => value)].filter((key): key is string => !!key);
    let body: unknown = text ? masked(text, secrets) : undefined;
    try {
      body = text ? maskedValue(JSON.parse(text), secrets) : undefined;
    } catch {}
    const shown = { url: masked(sent.href, secrets), body };
    requests.push({ method: request.method, path: masked(url.pathname, secrets), ...shown });
    const fault = faults.shift();
    if (fault === "network") throw new TypeError("fetch failed (a network failure the fake account was asked for)");
    if (fault === "hang") return hang(signal);
    if (fault === "lost") {
      answer(request, url, bytes, text, structuredClone(shown));
      throw new TypeError("fetch failed (the connection was lost after the account acted on the request, as the fake account was asked)");
    }
    if (fault?.status === 429) {
      const { retryAfter = 1 } = fault;
      return json(429, { message: "Rate limit exceeded" }, retryAfter === null ? {} : { "retry-after": String(retryAfter) });
    }
    if (fault) return new Response(null, { status: fault.status });
    return answer(request, url, bytes, text, structuredClone(shown));
  }

  const account: FakeAccount = {
    requests,
    // As the platform's fetch reads a request: any body it takes (text, bytes, a Blob, a form), its headers.
    fetch: async (input, init) =>
      // A hang ends on the caller's own signal: the Request's copy of it follows it only weakly on Node 20, and is lost after a collection.
      receive(new Request(input instanceof Request ? input.clone() : input, init), "", init?.signal ?? (input instanceof Request ? input.signal : undefined)),
    handlers: (options) => mswHandlers(receive, { accountName, ...options }),
    failNext(count, fault) {
      if (!(Number.isInteger(count) && count >= 0)) throw new TypeError("failNext: count must be a whole number of 0 or more.");
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    client: (id) => copy(holdings.clients.get(String(id))),
    purchaseOrder: (id) => copy(holdings.purchaseOrders.get(String(id))),
    document: (type, id) => copy(holdings.documents.get(`${type}/${id}`)),
    get clients() {
      return copy([...holdings.clients.values()]);
    },
    get purchaseOrders() {
      return copy([...holdings.purchaseOrders.values()]);
    },
    get documents() {
      return copy([...holdings.documents.values()]) as (Held<DocumentRead> & { type: string })[];
    },
    get emails() {
      return copy(holdings.emails);
    },
  };
  return account;
}

/**
 * The path's parameters as sent, by the template's segments
 * (`/clients/{client-id}.json`): the digits kept as text, where the mock's
 * router reads them as numbers.
 */
function pathParams(template: string, pathname: string): Record<string, string> {
  const sent = pathname.split("/");
  const params: Record<string, string> = {};
  template.split("/").forEach((segment, i) => {
    const [, before = "", name, after = ""] = /^([^{]*)\{([^}]+)\}(.*)$/.exec(segment) ?? [];
    if (name) params[name] = decodeURIComponent(sent[i]!.slice(before.length, sent[i]!.length - after.length));
  });
  return params;
}

/** A query's (or a form's) fields, decoded as a server decodes them: `api%5Fkey` is `api_key`; some servers split at `;` as at `&`. */
const queryOf = (search: string): [string, string][] => [...new URLSearchParams(search.replace(/;/g, "&"))];

/**
 * Text with the key's value shown as `***`: in any field whose decoded name
 * is `api_key`, and, for a key of 8 characters or more, wherever the value
 * itself appears (a shorter one, a test's `"k"`, would hide every `k`).
 */
function masked(text: string, secrets: string[]): string {
  const fields = text.replace(/(^|[?&;])([^?&;=#]*)=([^&;#]*)/g, (whole, start: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {}
    return isKeyName(decoded) ? `${start}${name}=***` : whole;
  });
  return secrets
    .filter((secret) => secret.length >= 8)
    .reduce((shown, secret) => shown.split(secret).join("***").split(encodeURIComponent(secret)).join("***"), fields);
}

/** A parsed body with the key shown as `***`: a field named `api_key`, a string that is the key, and any string that holds it (as above), a field's name included. */
function maskedValue(value: unknown, secrets: string[]): unknown {
  if (typeof value === "string") return secrets.includes(value) ? "***" : masked(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskedValue(item, secrets));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, field]) => [maskedValue(name, secrets), isKeyName(name) ? "***" : maskedValue(field, secrets)]));
}

/** Whether a field's (decoded) name spells the key's, in any letter case: what a caller meant for the key is masked as the key. */
const isKeyName = (name: string) => name.toLowerCase() === "api_key";

/** Never answers; rejects with the signal's reason once it aborts. */
const hang = (signal: AbortSignal | null | undefined) =>
  new Promise<Response>((_, reject) => {
    signal?.throwIfAborted();
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
