// The fake account's answers to the life of a document around its update:
// creates, the find by code, state changes and emails, as the sources say
// the service answers them.
import type { ClientRead, DocumentRead, DocumentStateChange, DocumentType, PurchaseOrderRead } from "../../generated/schema.js";

/** An email the account was asked to send, as the request named it. */
export interface RecordedEmail {
  documentType: DocumentType;
  documentId: string;
  /** The body's `message`: the address, the subject, the text… */
  message: { client: { email: string; save: string | number }; subject?: string; body?: string; cc?: string; bcc?: string; logo?: string | number };
  /** The request's URL, the key shown as `api_key=***`. */
  url: string;
}

/** What the life's answers need of the account: what it holds, and how it builds a document from a body. */
export interface AccountState {
  clients: Map<string, ClientRead & { id?: unknown }>;
  purchaseOrders: Map<string, PurchaseOrderRead>;
  documents: Map<string, DocumentRead & { type: string }>;
  emails: RecordedEmail[];
  classNames: Record<DocumentType, string>;
  replaced<Resource extends DocumentRead | PurchaseOrderRead>(current: Resource, sent: Record<string, unknown>, component: "InvoicingDocument" | "PurchaseOrder"): Resource;
}

// The service's words: the vendor's OpenAPI description, 2.0.0 (404Documents,
// 422ChangeState's "CantHandle: … for Invoice"), the API v1 page on state
// changes ("Cancel message can't be blank"), and a client create whose name
// is in use ("Nome não está disponível", as SuesteCreative/shopify-invoicexpress-worker
// meets it; its code in use, worded the same way: no source records it), in
// the shape of the recorded 422 to a client create.
const documentNotFound = { errors: { error: "Document not found" } };
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

/** The answer to one of the life's operations, or undefined for another operation. */
export function lifeAnswer(
  state: AccountState,
  operationId: string,
  params: Record<string, unknown>,
  body: Record<string, any>,
  url: string,
): Response | undefined {
  const { clients, purchaseOrders, documents } = state;
  const type = params["document-type"] as DocumentType;
  const key = `${type}/${params["document-id"]}`;
  const root = type && type.replace(/s$/, "");
  switch (operationId) {
    case "createClient": {
      const client = body.client as ClientRead;
      const held = [...clients.values()];
      if (held.some(({ name }) => name === client.name)) return json(422, unavailable("Nome"));
      if (held.some(({ code }) => code === client.code)) return json(422, unavailable("Código"));
      const created = { ...client, id: nextId(state) };
      clients.set(String(created.id), created);
      return json(201, { client: created });
    }
    case "findClientByCode": {
      const client = [...clients.values()].find((held) => held.code === params.client_code);
      return client ? json(200, { client }) : new Response(null, { status: 404 });
    }
    case "createPurchaseOrder": {
      const id = nextId(state);
      const order = state.replaced({ id, status: "draft", type: "PurchaseOrder", sequence_number: "rascunho" } as PurchaseOrderRead, body.purchase_order, "PurchaseOrder");
      purchaseOrders.set(String(id), order);
      return json(201, { purchase_order: order });
    }
    case "createDocument": {
      // A client the account does not know by its code or name is created with the document.
      const sent = body.invoice.client as ClientRead;
      if (![...clients.values()].some((held) => held.code === sent.code || held.name === sent.name)) {
        const created = { ...sent, id: nextId(state) };
        clients.set(String(created.id), created);
      }
      const id = nextId(state);
      const draft = { id, status: "draft", archived: false, type: state.classNames[type], sequence_number: "rascunho", permalink: `https://www.app.invoicexpress.com/documents/${id}` };
      const document = state.replaced(draft as DocumentRead, body.invoice, "InvoicingDocument") as DocumentRead & { type: string };
      documents.set(`${type}/${id}`, document);
      return json(201, { [root]: document });
    }
    case "changeDocumentState": {
      const document = documents.get(key);
      if (!document) return json(404, documentNotFound);
      const { state: asked, message } = body.invoice as DocumentStateChange;
      if (asked === "canceled" && !String(message ?? "").trim()) return json(422, cancelMessageBlank);
      const change = changes[asked].find(({ from, types }) => from === document.status && (!types || types.includes(type)));
      if (!change) return json(422, { errors: { error: `CantHandle: ${asked} for ${state.classNames[type]}` } });
      document.status = change.to;
      if (asked === "finalized") {
        // The next number of the type's sequence.
        const number = [...documents.entries()].filter(([held, { sequence_number }]) => held.startsWith(`${type}/`) && /^\d+\/A$/.test(String(sequence_number))).length + 1;
        Object.assign(document, { sequence_number: `${number}/A`, inverted_sequence_number: `A/${number}` });
      }
      return json(200, { [root]: document });
    }
    case "emailDocument": {
      const document = documents.get(key);
      // The vendor's description documents this 404 with no body.
      if (!document) return new Response(null, { status: 404 });
      const message = body.message as RecordedEmail["message"];
      state.emails.push({ documentType: type, documentId: String(params["document-id"]), message, url });
      // `save` keeps the address as the client's.
      const client = [...clients.values()].find((held) => held.id != null && held.id === document.client?.id);
      if (client && String(message.client.save) === "1") client.email = message.client.email;
      return new Response(null, { status: 200 });
    }
    default:
      return undefined;
  }
}

/** An ID no resource of the account has: one more than the largest. */
function nextId({ clients, purchaseOrders, documents }: AccountState): number {
  const ids = [...clients.values(), ...purchaseOrders.values(), ...documents.values()].map(({ id }) => Number(id)).filter(Number.isSafeInteger);
  return Math.max(1000, ...ids) + 1;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
