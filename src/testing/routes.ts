// The fake account's router: for each operation of the spec, what the
// service answers a request the spec accepts, given what the account holds.
// A new operation is one more entry in `routes` (another file's routes
// spread into it), made with the answers below.
import type { DocumentType } from "../../generated/schema.js";
import { updatedClient, updatedResource, type Holdings } from "./held.js";

/** A request the spec accepts, as a route sees it. */
export interface RoutedRequest {
  operationId: string;
  /** The path's parameters as sent (decoded): IDs are the digits they are, `"01"` is not `"1"`. */
  params: Record<string, string>;
  /** The query's parameters beside the key, decoded. */
  query: Record<string, string>;
  /** The body, parsed. */
  body: any;
  /** The request as the account recorded it: its URL and body with the key shown as `***`. */
  shown: { url: string; body: any };
}

export type Route = (holdings: Holdings, request: RoutedRequest) => Response;

// As the service words them: the vendor's pages (a document no longer a
// draft). Of a purchase order no source records the words; the service's
// rule for documents is taken for it, in the same form.
const settled = "Invoice has been settled so can't be changed anymore";
const finalised = "Purchase order has been finalized so can't be changed anymore";

export const routes: Record<string, Route> = {
  getClient: (holdings, { params }) => found(holdings.clients, params["client-id"]!, "client", (client) => ({ client })),
  getPurchaseOrder: (holdings, { params }) =>
    found(holdings.purchaseOrders, params["document-id"]!, "purchase order", (purchase_order) => ({ purchase_order })),
  getDocument: (holdings, { params }) => {
    const key = documentKey(params);
    // Under a key named after the type, as the recorded reads answer.
    return found(holdings.documents, key, "document", (document) => ({ [rootOf(params["document-type"]!)]: document }));
  },
  updateClient: (holdings, { params, body }) => {
    const id = params["client-id"]!;
    return updated(holdings.clients, id, "client", (client) => holdings.clients.set(id, updatedClient(client, body.client)));
  },
  updatePurchaseOrder: (holdings, { params, body }) => {
    const id = params["document-id"]!;
    const order = holdings.purchaseOrders.get(id);
    if (order && order.status !== "draft") return errorAnswer(422, finalised);
    return updated(holdings.purchaseOrders, id, "purchase order", (order) =>
      holdings.purchaseOrders.set(id, updatedResource(holdings, order, body.purchase_order, "PurchaseOrder")),
    );
  },
  updateDocument: (holdings, { params, body }) => {
    const key = documentKey(params);
    const document = holdings.documents.get(key);
    if (document && document.status !== "draft") return errorAnswer(422, settled);
    return updated(holdings.documents, key, "document", (document) =>
      holdings.documents.set(key, updatedResource(holdings, document, body.invoice, "InvoicingDocument")),
    );
  },
};

/** Where the account holds the document a path names: `invoices/1`. */
export const documentKey = (params: Record<string, string>) => `${params["document-type"] as DocumentType}/${params["document-id"]}`;

/** The key a document's answer puts it under, named after its type, as the recorded answers do: `invoice_receipt`. */
export const rootOf = (type: string) => type.replace(/s$/, "");

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });

/** An error in the shape the service answers 404s and a settled document's 422 with. */
export const errorAnswer = (status: number, error: string) => json(status, { errors: { error } });

/** The resource under `key`, as a read answers it (`wrap` puts it under its key), or the 404. */
export const found = <T>(held: Map<string, T>, key: string, what: Parameters<typeof notFound>[2], wrap: (resource: T) => unknown) =>
  held.has(key) ? json(200, wrap(structuredClone(held.get(key)!))) : notFound(held, key, what);

/** The service's answer to an update (200, empty) once `apply` has changed the resource under `key`, or the 404. */
export function updated<T>(held: Map<string, T>, key: string, what: Parameters<typeof notFound>[2], apply: (resource: T) => unknown) {
  if (!held.has(key)) return notFound(held, key, what);
  apply(held.get(key)!);
  return new Response(null, { status: 200 });
}

/**
 * The service's 404 (in a shape it uses), which in the fake says what the
 * account holds: a test's first wrong ID is then one look away from the right one.
 */
export function notFound(held: Map<string, unknown>, key: string, what: "client" | "purchase order" | "document", serviceWords?: string) {
  const keys = [...held.keys()];
  const shown = keys.length > 20 ? `${keys.slice(0, 20).join(", ")} and ${keys.length - 20} more` : keys.join(", ") || "none";
  const seedField = { client: "clients", "purchase order": "purchaseOrders", document: "documents" }[what];
  const listing = `The fake account holds no ${what} ${key}; it holds ${shown}. Give the ones a test reads in createFakeAccount({ ${seedField}: [...] }).`;
  return errorAnswer(404, serviceWords ? `${serviceWords}: ${listing}` : listing);
}
