// createInvoiceXpressClient: openapi-fetch, typed by the generated paths, plus
// the account URL, the API key, errors, retries, timeouts, and helpers that
// read, update, and edit (read, change, update) each resource.
import type {
  ClientRead,
  ClientUpdateBody,
  DocumentRead,
  DocumentType,
  DocumentUpdateBody,
  Id,
  paths,
  PurchaseOrderRead,
  PurchaseOrderUpdateBody,
} from "../generated/schema.js";
// Bundlers lay modules out in the order they are imported, and gzip refers
// back at most 32 KB: with openapi-fetch last, the generated rules (through
// edit.js) sit within reach of this file's code, which repeats their paths
// and field names (measured: 132 B of the entry's min+gzip size).
import { clientUpdateFrom, documentUpdateFrom, gapsOf, purchaseOrderUpdateFrom } from "./edit.js";
import { hostLabel, loopbackHost } from "./hosts.js";
import { createRedactor, errorCodeForStatus, errorMessages, InvoiceXpressError } from "./errors.js";
import { isOperation, queryNames, RequestValidationError, requestIssues } from "./validation.js";
import { lifeHelpers, type LifeHelpers } from "./life.js";
import { accountRateLimit, createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.js";
import { checkedCall, createTransport, repeated, RequestInitCarrier, sentWith, unsure, type FetchLike, type Logger, type WaitEvent } from "./transport.js";
import openapiFetch, { type Client } from "openapi-fetch";


export interface InvoiceXpressOptions {
  /** Your account's API key. It goes into every request's query string and nowhere else. */
  apiKey: string;
  /** Your account's name: requests go to `https://{accountName}.app.invoicexpress.com`. */
  accountName?: string;
  /** Instead of `accountName`: another base URL, such as a mock or a proxy. `http:` only for loopback hosts. */
  baseUrl?: string;
  /** A fetch to send requests with, called as `fetch(url, init)`. Defaults to the global fetch. */
  fetch?: FetchLike;
  /** How long one attempt may take, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** How many times a request that failed in a way worth repeating is sent again. Default 2. */
  maxRetries?: number;
  /**
   * With a rate limit: how many 429s in a row one call sits out (the whole
   * client pausing each time) before it fails with `code: "rate_limited"`.
   * Default 5: a few minutes at the service's usual Retry-After, never for ever.
   */
  maxRateLimitPauses?: number;
  /** Check each call against the spec and refuse it, unsent, when it breaks a rule. Default true. */
  validate?: boolean;
  /**
   * Keep under the account's rate limit: every attempt, retries included,
   * waits for its turn. Default: at most 780 requests in any 60 s for this
   * client. Another limit as `{ requests, perMs }`, a limiter shared with
   * other clients (`createRateLimiter`, or the Redis one of
   * `invoicexpress-openapi/redis` for several processes), or `false`.
   */
  rateLimit?: RateLimit | RateLimiter | false;
  /**
   * Called whenever a call waits: for a turn, after a 429, or before a retry.
   * An observer: what it throws or rejects with changes nothing; abort the
   * call's `signal` from it to end the call.
   */
  onWait?: (event: WaitEvent) => void;
  /**
   * Logs what the client does, a line per attempt (method, URL with the key
   * masked, status, duration, attempt) and per wait: `console`, or any logger
   * with a `debug(message)` method. Off by default.
   */
  logger?: Logger;
}

/** Per-call options of the helpers. */
export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** What a 200 of the update at `P` carries, per the spec: its JSON body, or undefined when it documents none (as now). */
export type SuccessBody<P extends keyof paths> = paths[P] extends { put: { responses: { 200: { content: { "application/json": infer B } } } } }
  ? B
  : undefined;

/**
 * Changes the update body an edit built from a read: in place, or by
 * returning another. `read` is what the service answered.
 */
export type Edit<Body, Read> = (body: Body, read: Read) => Body | void | Promise<Body | void>;

export interface InvoiceXpressHelpers {
  /** `GET /clients/{client-id}.json`: the client, as the service holds it. */
  getClient(clientId: Id, options?: CallOptions): Promise<ClientRead>;
  /** `GET /purchase_orders/{document-id}.json`: the purchase order, as the service holds it. */
  getPurchaseOrder(documentId: Id, options?: CallOptions): Promise<PurchaseOrderRead>;
  /**
   * `GET /{document-type}/{document-id}.json`: the document, as the service
   * holds it (taken from under its root key, which the service names after
   * the type: `invoice_receipt`, `credit_note`, … or `invoice`).
   */
  getDocument(documentType: DocumentType, documentId: Id, options?: CallOptions): Promise<DocumentRead>;
  /** `PUT /clients/{client-id}.json`. Resolves on a 2xx, with nothing: the spec documents no body. */
  updateClient(clientId: Id, body: ClientUpdateBody, options?: CallOptions): Promise<SuccessBody<"/clients/{client-id}.json">>;
  /** `PUT /purchase_orders/{document-id}.json`. Resolves on a 2xx, with nothing: the spec documents no body. */
  updatePurchaseOrder(
    documentId: Id,
    body: PurchaseOrderUpdateBody,
    options?: CallOptions,
  ): Promise<SuccessBody<"/purchase_orders/{document-id}.json">>;
  /** `PUT /{document-type}/{document-id}.json`. Resolves on a 2xx, with nothing: the spec documents no body. */
  updateDocument(
    documentType: DocumentType,
    documentId: Id,
    body: DocumentUpdateBody,
    options?: CallOptions,
  ): Promise<SuccessBody<"/{document-type}/{document-id}.json">>;
  /**
   * Reads the client, builds the update that keeps it as it is
   * (`clientUpdateFrom`), hands it to `edit`, then checks and sends it.
   * Resolves with what was sent. What a read answers for a field never set
   * and the update has no form for (`language: ""`, `send_options` `""` or
   * `0`, `preferred_contact: []`) is left out, which keeps it unset.
   */
  editClient(clientId: Id, edit: Edit<ClientUpdateBody, ClientRead>, options?: CallOptions): Promise<ClientUpdateBody>;
  /**
   * Reads the purchase order and, if it is a draft, builds the update that
   * keeps it as it is (`purchaseOrderUpdateFrom`: every item included, since
   * items left out are deleted), hands it to `edit`, then checks and sends
   * it. Resolves with what was sent. Only a draft: one that is not is refused
   * before anything is written (`code: "not_draft"`). The sources say the
   * service refuses to change a document that is no longer a draft and show
   * nothing of purchase orders, so they are held to the same rule. The read
   * does not return `tax_exemption_reason` (`PurchaseOrderFieldsNotRead`):
   * set it in `edit` if the order needs it. A line whose tax the read does
   * not name is refused unsent (`RequestValidationError`) until `edit` names it.
   */
  editPurchaseOrder(
    documentId: Id,
    edit: Edit<PurchaseOrderUpdateBody, PurchaseOrderRead>,
    options?: CallOptions,
  ): Promise<PurchaseOrderUpdateBody>;
  /**
   * Reads the document and, if it is a draft, builds the update that keeps
   * it as it is (`documentUpdateFrom`: every item included, since items left
   * out are deleted), hands it to `edit`, then checks and sends it. Resolves
   * with what was sent. A document that is not a draft is refused before
   * anything is written (`code: "not_draft"`). The read does not return
   * `owner_invoice_id`, `manual_sequence_number`, `tax_exemption_reason`,
   * `currency_code`, `rate`, `global_discount` or `plugin_id`
   * (`DocumentFieldsNotRead`): an update replaces a document's fields, so set
   * in `edit` those the document has (a credit note's `owner_invoice_id`, a
   * global discount), or they are gone. Where the read cannot say what the
   * update needs (a line's unnamed tax, exempt lines with no `tax_exemption`,
   * a currency other than Euro with no code, a `global_discount` number
   * other than 0, a `discount` more than the items' own, which shows a
   * global discount), the edit is refused unsent (`RequestValidationError`,
   * each issue naming the field) until `edit` sets it.
   */
  editDocument(
    documentType: DocumentType,
    documentId: Id,
    edit: Edit<DocumentUpdateBody, DocumentRead>,
    options?: CallOptions,
  ): Promise<DocumentUpdateBody>;
  /**
   * For a raw call's result: the InvoiceXpressError a helper would throw
   * (the same messages, the key masked), or undefined for a 2xx.
   */
  errorOf(result: { error?: unknown; response: Response }): InvoiceXpressError | undefined;
}

export type InvoiceXpressClient = Client<paths> & InvoiceXpressHelpers & LifeHelpers;

// Node's CommonJS interop hands our .cjs build openapi-fetch's module object
// where the ESM build gets its default export.
const createClient =
  (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;


export function createInvoiceXpressClient(given: InvoiceXpressOptions): InvoiceXpressClient {
  // Own options only: a property added to Object.prototype (a `fetch`, a
  // `validate: false`) must not become an option of every client.
  const options = { __proto__: null, ...given } as InvoiceXpressOptions;
  const { apiKey, baseUrl, timeoutMs, maxRetries, maxRateLimitPauses, limiter } = checkOptions(options);
  const redact = createRedactor(apiKey);
  const keyQuery = `api_key=${encodeURIComponent(apiKey)}`;
  const client = createClient<paths>({
    baseUrl,
    // The key ends the query string (the guard below sets the parameters
    // an operation declares before it), set as the URL is built: no
    // middleware copies the request.
    querySerializer: () => keyQuery,
    pathSerializer: fillPath,
    // The body arrives already written as JSON, by the guard below.
    bodySerializer: (text) => text,
    Request: RequestInitCarrier as unknown as typeof Request,
    fetch: createTransport({
      // Looked up at each call: an interception installed after the client
      // was made (a mock service worker's listen(), say) applies to it.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      baseUrl,
      timeoutMs,
      maxRetries,
      maxRateLimitPauses,
      redact,
      limiter,
      onWait: options.onWait,
      logger: options.logger,
    }) as typeof fetch,
  });

  // Every call, raw or through a helper, passes here: it may not swap the
  // parts that guard the key, and its body is written as JSON once, checked
  // as that JSON, and sent as exactly that text.
  const send = client.request;
  const validate = options.validate ?? true;
  client.request = (async (method: string, path: keyof paths, init: GuardedInit = {}) => {
    // Each option is read once, so that what is checked is what is used.
    const params = { ...init.params };
    const call: GuardedInit = { ...init, params: { ...params, path: { ...params.path } } };
    // The key and the declared parameters make the query: a path of one's own holds none, nor a fragment.
    if (/[?#]/.test(path)) throw new TypeError(`${path} was not sent: a path holds no query or a fragment; give the parameters as params.query.`);
    const swapped = perCallOverrides.find((option) => call[option] !== undefined);
    if (swapped) throw new TypeError(`${swapped} cannot be set per call; set it on the client.`);
    // A body JSON cannot hold (a BigInt, a cycle) throws JSON.stringify's TypeError.
    call.body = JSON.stringify(call.body);
    // Only the query parameters the operation declares, checked with its path's.
    const query: Record<string, unknown> = {};
    if (params.query) for (const name of queryNames(method, path)) if (Object.hasOwn(Object(params.query), name)) query[name] = (params.query as Record<string, unknown>)[name];
    const written = Object.entries(query).map(([name, value]) => `${name}=${encodeURIComponent(String(value))}&`).join("");
    if (written) call.querySerializer = () => written + keyQuery;
    if (validate) {
      const issues = requestIssues(method, path, { ...call.params!.path, ...query }, call.body && JSON.parse(call.body as string));
      // A field named like the key, or a value echoed in a sentence: masked.
      const masked = issues.map((issue) => ({ ...issue, path: redact(issue.path), message: redact(issue.message) }));
      if (issues.length > 0) throw new RequestValidationError(method, path, masked);
    }
    // Unchecked, an operation of the spec still goes out only as it was
    // called; a call to none, only as a read or an update (the transport's rule).
    if (validate || isOperation(method, path)) call[checkedCall] = [method.toUpperCase(), `${baseUrl}${fillPath(path, call.params!.path!)}?`, call.body];
    return send(method as never, path as never, call as never);
  }) as typeof send;
  // openapi-fetch's HTTP methods are its upper-case keys: each goes through the guard.
  for (const method in client) {
    if (/^[A-Z]+$/.test(method))
      Object.assign(client, { [method]: (path: never, init: never) => client.request(method as never, path, init) });
  }

  async function update(path: keyof paths, pathParams: Record<string, unknown>, body: unknown, call: CallOptions = {}) {
    const { error, response } = await client.PUT(path as never, {
      params: { path: pathParams },
      body,
      parseAs: "text",
      ...call,
    } as never);
    // The spec documents no body for a 200 (test/compile-time.ts holds it to that).
    if (response.ok) return undefined;
    throw failure(error, response);
  }

  /** The resource a read (or another call, as `sent` says) answers, from under the first of `roots` its body holds. */
  async function read<Resource>(path: keyof paths, pathParams: Record<string, unknown>, roots: string[], call: CallOptions = {}, sent: Sent = { method: "GET" }) {
    const { method, query } = sent;
    // As text: a body that is not JSON (a maintenance page) is this
    // client's error, not a SyntaxError that would quote it, key and all.
    const { data, error, response } = await client.request(method as never, path as never, { params: { path: pathParams, query }, body: sent.body, parseAs: "text", ...call } as never);
    // Whether the call was sent again after an attempt that may have gone through.
    sent.repeated = (response as { [repeated]?: boolean })[repeated];
    if (!response.ok) throw failure(error, response);
    let body: Record<string, unknown> = {};
    try {
      body = Object(JSON.parse(data as unknown as string));
    } catch {}
    const isResource = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    const resource = roots.map((root) => body[root]).find(isResource);
    if (resource) return resource as Resource;
    throw new InvoiceXpressError({
      code: "http",
      status: response.status,
      // A create that the service took made the resource all the same.
      messages: [`The answer holds no ${roots[0]!.replace("_", " ")}${method === "POST" ? `, though the service took the create (HTTP ${response.status}): do not create it again` : ""}.`],
      method,
      url: redact(response.url),
    });
  }

  const failure = (error: unknown, response: Response) =>
    new InvoiceXpressError({
      code: errorCodeForStatus(response.status),
      status: response.status,
      // A create or an email that may have gone through says so, and how to check.
      messages: [...errorMessages(error, response.status).map(redact), ...[(response as { [unsure]?: string })[unsure] ?? []].flat()],
      method: (response as { [sentWith]?: string })[sentWith] ?? "PUT",
      url: redact(response.url),
    });

  const documentPath = "/{document-type}/{document-id}.json";
  const documentParams = (documentType: DocumentType, documentId: Id) => ({ "document-type": documentType, "document-id": documentId });
  // The service names a document's root after its type (`credit_notes`:
  // `credit_note`); its OpenAPI description says `invoice` for all five.
  const documentRoots = (documentType: DocumentType) => [documentType.replace(/s$/, ""), "invoice"];

  const helpers: InvoiceXpressHelpers = {
    errorOf: ({ error, response }) => (response.ok ? undefined : failure(error, response)),
    getClient: (clientId, call) => read("/clients/{client-id}.json", { "client-id": clientId }, ["client"], call),
    getPurchaseOrder: (documentId, call) => read("/purchase_orders/{document-id}.json", { "document-id": documentId }, ["purchase_order"], call),
    getDocument: (documentType, documentId, call) => read(documentPath, documentParams(documentType, documentId), documentRoots(documentType), call),
    updateClient: (clientId, body, call) => update("/clients/{client-id}.json", { "client-id": clientId }, body, call),
    updatePurchaseOrder: (documentId, body, call) =>
      update("/purchase_orders/{document-id}.json", { "document-id": documentId }, body, call),
    updateDocument: (documentType, documentId, body, call) => update(documentPath, documentParams(documentType, documentId), body, call),
    editClient: async (clientId, edit, call) => {
      const current = await helpers.getClient(clientId, call);
      return edited(current, clientUpdateFrom(current), edit, "/clients/{client-id}.json", (body) => helpers.updateClient(clientId, body, call));
    },
    editPurchaseOrder: async (documentId, edit, call) => {
      const current = draft(await helpers.getPurchaseOrder(documentId, call), "purchase_orders", documentId);
      return edited(current, purchaseOrderUpdateFrom(current), edit, "/purchase_orders/{document-id}.json", (body) =>
        helpers.updatePurchaseOrder(documentId, body, call),
      );
    },
    editDocument: async (documentType, documentId, edit, call) => {
      const current = draft(await helpers.getDocument(documentType, documentId, call), documentType, documentId);
      const built = documentUpdateFrom(current);
      // Some reads hold only the client's ID and name: the update needs its code.
      const client = built.invoice.client as { code?: string } | undefined;
      if (client && !client.code && current.client?.id != null)
        client.code = (await helpers.getClient(current.client.id as Id, call)).code ?? undefined;
      return edited(current, built, edit, documentPath, (body) => helpers.updateDocument(documentType, documentId, body, call));
    },
  };

  /**
   * Only a draft can change: the sources say the service refuses the
   * others for documents, and say nothing of purchase orders, which are
   * held to the same rule. A read that does not say "draft" is not taken
   * for one.
   */
  function draft<Read extends { status?: string | null }>(read: Read, collection: string, id: Id): Read {
    if (read.status === "draft") return read;
    throw new InvoiceXpressError({
      code: "not_draft",
      status: undefined,
      // The state is the read's: a server that echoes the key there does not get it into the error.
      messages: [redact(`${collection} ${id} is ${JSON.stringify(read.status ?? null)}, and only a draft can change; nothing was sent`)],
      method: "PUT",
      url: redact(`${baseUrl}/${collection}/${id}.json`),
    });
  }

  /**
   * The body `edit` leaves (in place, or the one it returns), once `send`
   * has sent it; refused unsent while it lacks what the read could not say.
   */
  async function edited<Body extends object, Read extends object>(
    read: Read,
    built: Body,
    edit: Edit<Body, Read>,
    path: keyof paths,
    send: (body: Body) => Promise<unknown>,
  ): Promise<Body> {
    const body = (await edit(built, read)) ?? built;
    const gaps = gapsOf(read, body).map((issue) => ({ ...issue, message: redact(issue.message) }));
    if (gaps[0]) throw new RequestValidationError("PUT", path, gaps);
    await send(body);
    return body;
  }
  return Object.assign(client, helpers, lifeHelpers({ read, update, getDocument: helpers.getDocument, documentRoots }));
}

/** How a helper's call goes out: its method, body and query parameters. */
export interface Sent {
  method: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Set once answered: whether it was sent again after an attempt that may have gone through. */
  repeated?: boolean;
}

type GuardedInit = { params?: { path?: Record<string, unknown>; query?: unknown }; body?: unknown; [checkedCall]?: unknown } & Record<string, unknown>;
// openapi-fetch lets one call replace these; here that would route the key
// past the URL check, the masking, the timeout or the retries, or send
// another body than the one checked.
const perCallOverrides = ["baseUrl", "fetch", "Request", "pathSerializer", "querySerializer", "bodySerializer"];

function fillPath(path: string, params: Record<string, unknown>) {
  return path.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const segment = encodeURIComponent(String(params[name]));
    // Even unchecked (validate: false), "." and ".." would move the request
    // up the base URL's path, and "" would change it.
    if (/^\.{0,2}$/.test(segment)) throw new TypeError(`${name} cannot be "${segment}".`);
    return segment;
  });
}



function checkOptions(options: InvoiceXpressOptions) {
  const fail = (message: string): never => {
    throw new TypeError(`createInvoiceXpressClient: ${message}`);
  };
  // The defaults: 30 s for each attempt, 2 retries, the account's rate limit.
  const { apiKey, accountName, baseUrl, timeoutMs = 30_000, maxRetries = 2, maxRateLimitPauses = 5, rateLimit = accountRateLimit } = options;
  if (typeof apiKey !== "string" || !apiKey.trim()) fail("apiKey must be a non-empty string.");
  if ((accountName === undefined) === (baseUrl === undefined)) fail("give either accountName or baseUrl.");
  // Timers hold at most 2^31 - 1 ms; past that they fire at once.
  if (!(typeof timeoutMs === "number" && timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1))
    fail("timeoutMs must be from 1 to 2147483647 ms.");
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) fail("maxRetries must be a whole number of 0 or more.");
  if (!(Number.isInteger(maxRateLimitPauses) && maxRateLimitPauses >= 0)) fail("maxRateLimitPauses must be a whole number of 0 or more.");
  for (const hook of ["fetch", "onWait"] as const)
    if (options[hook] !== undefined && typeof options[hook] !== "function") fail(`${hook} must be a function.`);
  if (options.logger !== undefined && typeof options.logger?.debug !== "function") fail("logger must have a debug method, as console has.");
  // A limiter of the caller's (it has the `pause` a 429 needs), or one made
  // from { requests, perMs }, whose own check names what is wrong.
  const limiter =
    rateLimit === false
      ? undefined
      : typeof (rateLimit as RateLimiter)?.pause === "function"
        ? (rateLimit as RateLimiter)
        : createRateLimiter(Object(rateLimit));
  if (accountName !== undefined) {
    if (typeof accountName !== "string" || !hostLabel.test(accountName)) {
      // Echoed up to what a host name cannot hold: a pasted URL may carry a
      // key, of this client or another, or a password.
      fail(
        `accountName must be your account's name alone, such as acme for acme.app.invoicexpress.com; got ${JSON.stringify(String(accountName).replaceAll(apiKey, "***").replace(/[^\w.*-].*/s, "…"))}.`,
      );
    }
    // Host names are case-insensitive, and the URL parser writes them in lower case: so does every check.
    return { apiKey, baseUrl: `https://${accountName.toLowerCase()}.app.invoicexpress.com`, timeoutMs, maxRetries, maxRateLimitPauses, limiter };
  }
  let url: URL;
  try {
    url = new URL(baseUrl!);
  } catch {
    // Not echoed: a malformed URL may hold the key.
    return fail("baseUrl must be an absolute URL.");
  }
  // Not echoed: a user name and password are credentials. href keeps a bare
  // "?" or "#", which search and hash report as empty.
  if (url.username || url.password || /[?#]/.test(url.href))
    fail("baseUrl must hold no user name, password, query or fragment.");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHost.test(url.hostname)))
    fail(`baseUrl must be an https: URL (http: only for a loopback host: the API key would travel in clear); got ${url.protocol}//${url.host}.`);
  return { apiKey, baseUrl: url.href.replace(/\/$/, ""), timeoutMs, maxRetries, maxRateLimitPauses, limiter };
}
