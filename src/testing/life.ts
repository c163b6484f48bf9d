// The fake account's answers to the life of a document around its update:
// creates, the find by code, state changes and emails, as the sources say
// the service answers them.
import type { ClientRead, DocumentRead, DocumentStateChange, DocumentType, PurchaseOrderRead } from "../../generated/schema.js";
import { classNames, updatedClient, updatedResource, type Held } from "./held.js";
import { documentKey, json, notFound, rootOf, type Route } from "./routes.js";

/** An email the account was asked to send, as the request named it. */
export interface RecordedEmail {
  documentType: DocumentType;
  /** As the request's path had it: a string of digits (`"24206414"`), whatever type the caller gave. */
  documentId: string;
  /** The body's `message`: the address, the subject, the text… */
  message: { client: { email: string; save: string | number }; subject?: string; body?: string; cc?: string; bcc?: string; logo?: string | number };
  /** The request's URL, the key shown as `api_key=***`. */
  url: string;
}

// The service's words: the vendor's OpenAPI description, 2.0.0 (404Documents,
// 422ChangeState's "CantHandle: … for Invoice"), the API v1 page on state
// changes ("Cancel message can't be blank"), and a client create whose name
// is in use ("Nome não está disponível", as SuesteCreative/shopify-invoicexpress-worker
// meets it; its code in use, worded the same way: no source records it), in
// the shape of the recorded 422 to a client create.
const cancelMessageBlank = { errors: { error: "Cancel message can't be blank" } };
const unavailable = (field: string) => ({ errors: [{ error: `${field} não está disponível` }] });

// The vendor's table of state changes: from which states each asked state
// goes, to which, for which types (every type when none is named).
const changes: Record<DocumentStateChange["state"], { from: string; to: string; types?: DocumentType[] }[]> = {
  finalized: [
    { from: "draft", to: "settled", types: ["invoice_receipts"] },
    { from: "draft", to: "final" },
  ],
  deleted: [{ from: "draft", to: "deleted" }],
  canceled: [
    { from: "final", to: "canceled" },
    { from: "settled", to: "canceled", types: ["invoice_receipts"] },
  ],
  settled: [{ from: "final", to: "settled" }],
  unsettled: [{ from: "settled", to: "final", types: ["credit_notes", "debit_notes"] }],
};


/** The routes of creates, the find by code, state changes and emails, spread into the account's router. */
export const lifeRoutes: Record<string, Route> = {
  createClient: (holdings, { body }) => {
    const client = body.client as ClientRead;
    const held = [...holdings.clients.values()];
    if (held.some(({ name }) => name === client.name)) return json(422, unavailable("Nome"));
    if (held.some(({ code }) => code === client.code)) return json(422, unavailable("Código"));
    const created = updatedClient({ id: holdings.newId() } as Held<ClientRead>, client);
    holdings.clients.set(String(created.id), created);
    return json(201, { client: created });
  },
  findClientByCode: (holdings, { query }) => {
    const client = [...holdings.clients.values()].find((held) => held.code === query.client_code);
    return client ? json(200, { client: structuredClone(client) }) : new Response(null, { status: 404 });
  },
  createPurchaseOrder: (holdings, { body }) => {
    const id = holdings.newId();
    const draft = { id, status: "draft", type: "PurchaseOrder", sequence_number: "rascunho" } as Held<PurchaseOrderRead>;
    const order = updatedResource(holdings, draft, body.purchase_order, "PurchaseOrder");
    holdings.purchaseOrders.set(String(id), order);
    return json(201, { purchase_order: structuredClone(order) });
  },
  createDocument: (holdings, { params, body }) => {
    const type = params["document-type"] as DocumentType;
    const id = holdings.newId();
    // A client the account does not know by its code is created with the document.
    const draft = { id, status: "draft", archived: false, type: classNames[type], sequence_number: "rascunho", permalink: `https://www.app.invoicexpress.com/documents/${id}` };
    const document = updatedResource(holdings, draft as Held<DocumentRead>, body.invoice, "InvoicingDocument");
    holdings.documents.set(`${type}/${id}`, document);
    return json(201, { [rootOf(type)]: structuredClone(document) });
  },
  changeDocumentState: (holdings, { params, body }) => {
    const type = params["document-type"] as DocumentType;
    const document = holdings.documents.get(documentKey(params));
    if (!document) return notFound(holdings.documents, documentKey(params), "document", "Document not found");
    const { state: asked, message } = body.invoice as DocumentStateChange;
    if (asked === "canceled" && !String(message ?? "").trim()) return json(422, cancelMessageBlank);
    const change = changes[asked].find(({ from, types }) => from === document.status && (!types || types.includes(type)));
    if (!change) return json(422, { errors: { error: `CantHandle: ${asked} for ${classNames[type]}` } });
    Object.assign(document, { status: change.to });
    if (asked === "finalized") {
      // The next number of the type's sequence.
      const number = [...holdings.documents.entries()].filter(([held, { sequence_number }]) => held.startsWith(`${type}/`) && /^\d+\/A$/.test(String(sequence_number))).length + 1;
      Object.assign(document, { sequence_number: `${number}/A`, inverted_sequence_number: `A/${number}` });
    }
    return json(200, { [rootOf(type)]: structuredClone(document) });
  },
  emailDocument: (holdings, { params, body, shown }) => {
    const document = holdings.documents.get(documentKey(params));
    if (!document) return notFound(holdings.documents, documentKey(params), "document");
    const message = body.message as RecordedEmail["message"];
    // As the request was recorded: the key masked wherever it stands.
    holdings.emails.push({ documentType: params["document-type"] as DocumentType, documentId: params["document-id"]!, message: shown.body.message, url: shown.url });
    // `save` keeps the address as the client's.
    const client = [...holdings.clients.values()].find((held) => held.id != null && String(held.id) === String(document.client?.id));
    if (client && String(message.client.save) === "1") client.email = message.client.email;
    return new Response(null, { status: 200 });
  },
};
