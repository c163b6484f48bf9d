// An InvoiceXpress account in memory, for users' own tests: it answers the
// spec's reads and updates as the service does, with state, and fails on
// demand. It plugs in as the client's `fetch`.
import type { ClientRead, DocumentRead, DocumentType, ItemRead, PurchaseOrderRead } from "../../generated/schema.js";
import { readExamples } from "../../generated/examples.js";
import { schemas } from "../../generated/request-schemas.js";
import { operationOf, requestProblems, refusal } from "../mock/refusal.js";
import { lifeAnswer, type RecordedEmail } from "./life.js";
import { mswHandlers, type HandlerOptions } from "./msw.js";

/** A document as the reads return it, with the type its path names (`invoices`, or the read's `Invoice`). */
export type SeedDocument = DocumentRead & { id: number | string; type: DocumentType | string; status: string };

export interface FakeAccountSeed {
  /** When given, a request with another key answers 401; without it, any key will do (but one is needed). */
  apiKey?: string;
  clients?: (ClientRead & { id: number | string })[];
  purchaseOrders?: (PurchaseOrderRead & { id: number | string })[];
  documents?: SeedDocument[];
}

/** A resource the account holds: as a read returns it, and always with its ID. */
export type Held<Resource> = Resource & { id: number | string };

/** What a request asked, as the account saw it (the key masked). */
export interface RecordedRequest {
  method: string;
  /** The path, without the query: `/invoices/1.json`. */
  path: string;
  /** The URL with the key shown as `api_key=***`. */
  url: string;
  /** The body, parsed as JSON (its text when it is not JSON), or undefined. */
  body: unknown;
}

/** A failure the next requests meet instead of an answer. */
export type Fault =
  | { status: 429; retryAfter?: number }
  | { status: 500 | 502 | 503 | 504 }
  | "network"
  | "hang";

export interface FakeAccount {
  /** Answers a request as the service would: hand it to the client as its `fetch`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Every request the account received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * The account as Mock Service Worker request handlers (msw 2, an optional
   * peer): `setupServer(...account.handlers())` answers your code's calls to
   * any account's host, or to `baseUrl`.
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

// The service's class name of each document type, which its reads answer as `type`.
const classNames: Record<DocumentType, string> = {
  invoices: "Invoice",
  simplified_invoices: "SimplifiedInvoice",
  invoice_receipts: "InvoiceReceipt",
  credit_notes: "CreditNote",
  debit_notes: "DebitNote",
};
const documentTypes = schemas.DocumentType!.enum as DocumentType[];
const pathTypeOf = (type: string) =>
  (documentTypes as string[]).includes(type) ? (type as DocumentType) : (Object.entries(classNames).find(([, name]) => name === type)?.[0] as DocumentType);

// The taxes a new account has (Portugal's IVA), and any a seed's items name.
const accountTaxes: Record<string, number> = { IVA23: 23, IVA13: 13, IVA6: 6, IVA0: 0, Isento: 0 };

// As the service words them: the vendor's pages (a document no longer a
// draft), and a recorded answer to a wrong key (the spec's AccessDeniedError).
const settled = "Invoice has been settled so can't be changed anymore";
const invalidKey = { errors: [{ error: "Invalid API key" }] };

export function createFakeAccount(seed: FakeAccountSeed = defaultSeed()): FakeAccount {
  const copy = <T>(value: T): T => structuredClone(value);
  const clients = new Map((seed.clients ?? []).map((client) => [String(client.id), copy(client)]));
  const purchaseOrders = new Map((seed.purchaseOrders ?? []).map((order) => [String(order.id), copy(order)]));
  const documents = new Map<string, DocumentRead & { type: string }>(
    (seed.documents ?? []).map((document) => {
      const type = pathTypeOf(document.type);
      if (!type) throw new TypeError(`createFakeAccount: document ${document.id} has type ${JSON.stringify(document.type)}; expected one of ${documentTypes.join(", ")}.`);
      return [`${type}/${document.id}`, { ...copy(document), type: classNames[type] }] as const;
    }),
  );
  const taxes: Record<string, number> = { __proto__: null, ...accountTaxes } as never;
  for (const item of [...documents.values(), ...purchaseOrders.values()].flatMap((resource) => resource.items ?? []))
    if (item.tax?.name && item.tax.value != null) taxes[item.tax.name] = Number(item.tax.value);
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const emails: RecordedEmail[] = [];
  const mask = (text: string) => text.replace(/([?&]api_key=)[^&#]*/g, "$1***");

  async function answer(method: string, url: URL, text: string): Promise<Response> {
    const key = url.searchParams.get("api_key");
    if (!key || (seed.apiKey !== undefined && key !== seed.apiKey)) return json(401, invalidKey);
    const path = url.pathname + url.search;
    const operation = operationOf(method, path);
    // The mock's 422, in the same words as the client's RequestValidationError.
    const problems = requestProblems(method, path, text || undefined, operation);
    if (problems || !operation) return json(422, JSON.parse(refusal(problems ?? []).body));
    const { params } = operation;
    const body = text ? JSON.parse(text) : undefined;
    const id = String(params["client-id"] ?? params["document-id"]);
    // Creates, the find by code, state changes and emails (./life.ts).
    const life = lifeAnswer({ clients, purchaseOrders, documents, emails, classNames, replaced }, operation.operationId, params, body, mask(url.href));
    if (life) return life;
    switch (operation.operationId) {
      case "getClient":
        return found(clients.get(id), (client) => ({ client }));
      case "getPurchaseOrder":
        return found(purchaseOrders.get(id), (purchase_order) => ({ purchase_order }));
      case "getDocument": {
        const type = params["document-type"] as DocumentType;
        return found(documents.get(`${type}/${id}`), (document) => ({ [type.replace(/s$/, "")]: document }));
      }
      case "updateClient":
        // The fields sent replace the ones held; the others stay.
        return updated(clients.get(id), (client) => clients.set(id, { ...merged(client, body.client), id: client.id }));
      case "updatePurchaseOrder":
        return updated(purchaseOrders.get(id), (order) => purchaseOrders.set(id, replaced(order, body.purchase_order, "PurchaseOrder")));
      default: {
        const key = `${params["document-type"]}/${id}`;
        const document = documents.get(key);
        if (document && document.status !== "draft") return json(422, { errors: { error: settled } });
        return updated(document, (current) => documents.set(key, replaced(current, body.invoice, "InvoicingDocument")));
      }
    }
  }

  /**
   * A document or purchase order after an update, as the pages describe it:
   * the fields sent replace the ones held, a field the update could set but
   * did not send is gone, the items are the ones sent (any left out are
   * deleted), and the service works out the amounts again.
   */
  function replaced<Resource extends DocumentRead | PurchaseOrderRead>(current: Resource, sent: Record<string, unknown>, component: "InvoicingDocument" | "PurchaseOrder"): Resource {
    const { properties, readOnly = [] } = schemas[component]!;
    const settable = new Set(Object.keys(properties!).filter((name) => !readOnly.includes(name)));
    const kept = Object.fromEntries(Object.entries(current).filter(([name]) => !settable.has(name)));
    const written = Object.fromEntries(Object.entries(sent).filter(([name]) => settable.has(name)));
    const items = ((sent.items ?? []) as Record<string, unknown>[]).map(itemRead);
    const sum = items.reduce((total, item) => total + Number(item.subtotal), 0);
    const discount = items.reduce((total, item) => total + Number(item.discount_amount), 0);
    const taxesDue = items.reduce((total, item) => total + Number(item.tax_amount), 0);
    // The client is found by its code or name; an unknown one is new.
    const client = sent.client as Record<string, unknown> | undefined;
    const held = client && [...clients.values()].find((known) => known.code === client.code || known.name === client.name);
    return {
      ...kept,
      ...written,
      ...(client && { client: { ...client, id: held?.id ?? (current.client as { id?: unknown } | null | undefined)?.id ?? null } }),
      items,
      sum: round(sum),
      discount: round(discount),
      before_taxes: round(sum - discount),
      taxes: round(taxesDue),
      total: round(sum - discount + taxesDue),
    } as Resource;
  }

  /** An item as the reads return it: numbers as the service writes them, its tax found by name, its amounts worked out. */
  function itemRead(item: Record<string, unknown>): ItemRead {
    const unitPrice = round(Number(item.unit_price));
    const quantity = Number(item.quantity);
    const subtotal = round(unitPrice * quantity);
    const discountAmount = round((subtotal * Number(item.discount ?? 0)) / 100);
    // A tax the account does not know is the default one, as the vendor's pages say.
    const asked = (item.tax as { name?: string } | null | undefined)?.name;
    const name = asked && Object.hasOwn(taxes, asked) ? asked : "IVA23";
    const rate = taxes[name]!;
    return {
      name: item.name as string,
      description: item.description as string,
      unit_price: decimal(unitPrice),
      unit: (item.unit as string | undefined) ?? null,
      quantity: decimal(quantity),
      tax: { id: Object.keys(taxes).indexOf(name) + 1, name, value: rate },
      discount: Number(item.discount ?? 0),
      subtotal,
      tax_amount: round(((subtotal - discountAmount) * rate) / 100),
      discount_amount: discountAmount,
      total: round(((subtotal - discountAmount) * (100 + rate)) / 100),
    };
  }

  const account: FakeAccount = {
    requests,
    async fetch(input, init = {}) {
      const request = input instanceof Request ? input : undefined;
      const url = new URL(request?.url ?? String(input));
      const method = (init.method ?? request?.method ?? "GET").toUpperCase();
      const text = init.body != null ? String(init.body) : request ? await request.clone().text() : "";
      let body: unknown = text || undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      requests.push({ method, path: url.pathname, url: mask(url.href), body });
      const fault = faults.shift();
      if (fault === "network") throw new TypeError("fetch failed (a network failure the fake account was asked for)");
      if (fault === "hang") return hang(init.signal ?? request?.signal);
      if (fault?.status === 429)
        return json(429, { message: "Rate limit exceeded" }, fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) });
      if (fault) return new Response(null, { status: fault.status });
      return answer(method, url, text);
    },
    handlers: (options) => mswHandlers((request) => account.fetch(request), options),
    failNext(count, fault) {
      if (!(Number.isInteger(count) && count >= 0)) throw new TypeError("failNext: count must be a whole number of 0 or more.");
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    client: (id) => copy(clients.get(String(id))) as Held<ClientRead> | undefined,
    purchaseOrder: (id) => copy(purchaseOrders.get(String(id))) as Held<PurchaseOrderRead> | undefined,
    document: (type, id) => copy(documents.get(`${type}/${id}`)) as Held<DocumentRead> | undefined,
    get clients() {
      return copy([...clients.values()]) as Held<ClientRead>[];
    },
    get purchaseOrders() {
      return copy([...purchaseOrders.values()]) as Held<PurchaseOrderRead>[];
    },
    get documents() {
      return copy([...documents.values()]) as (Held<DocumentRead> & { type: string })[];
    },
    get emails() {
      return copy(emails);
    },
  };
  return account;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

// The service answers an unknown ID with 404 and an empty body.
const found = <T>(resource: T | undefined, wrap: (resource: T) => unknown) =>
  resource ? json(200, wrap(structuredClone(resource))) : new Response(null, { status: 404 });

function updated<T>(resource: T | undefined, apply: (resource: T) => unknown) {
  if (!resource) return new Response(null, { status: 404 });
  apply(resource);
  return new Response(null, { status: 200 });
}

/** Never answers; rejects with the signal's reason once it aborts. */
const hang = (signal: AbortSignal | null | undefined) =>
  new Promise<Response>((_, reject) => {
    signal?.throwIfAborted();
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** `sent` over `held`, object by object: what is not sent stays. */
function merged<T>(held: T, sent: unknown): T {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(held) || !isObject(sent)) return sent as T;
  const result: Record<string, unknown> = { ...held };
  for (const [name, value] of Object.entries(sent)) result[name] = merged(held[name], value);
  return result as T;
}

const round = (value: number) => Math.round(value * 100) / 100;
// "10.0", "2.5": as the service writes an item's numbers.
const decimal = (value: number) => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** Without a seed: the spec's examples of each read (a client, a purchase order, a draft invoice and a draft invoice receipt). */
function defaultSeed(): FakeAccountSeed {
  const { client, purchaseOrder, documents } = structuredClone(readExamples);
  return {
    clients: [client as ClientRead & { id: number }],
    purchaseOrders: [purchaseOrder as PurchaseOrderRead & { id: number }],
    documents: Object.entries(documents).map(([type, document]) => ({ ...(document as DocumentRead), type }) as SeedDocument),
  };
}
