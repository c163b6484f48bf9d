// The helpers for the life of a document around its update: creating a
// client, a purchase order or a document, finding a client by its code,
// changing a document's state and emailing it.
import type {
  ClientRead,
  ClientUpdateBody,
  DocumentCreateBody,
  DocumentEmail,
  DocumentRead,
  DocumentStateChange,
  DocumentType,
  Id,
  paths,
  PurchaseOrderRead,
  PurchaseOrderUpdateBody,
} from "../generated/schema.js";
import type { CallOptions, Sent } from "./client.js";
import { InvoiceXpressError } from "./errors.js";

/**
 * A create and an email are sent once: again only after a 429, or when the
 * connection failed before the request was written. A timeout, a 5xx or a
 * connection lost after sending ends the call with an InvoiceXpressError
 * whose messages say the service may have acted, and how to check.
 */
export interface LifeHelpers {
  /** `POST /clients.json`: creates the client; resolves with it as the service answers it, its `id` included. */
  createClient(body: ClientUpdateBody, options?: CallOptions): Promise<ClientRead>;
  /** `GET /clients/find-by-code.json`: the client whose `code` is `code`, or undefined when none has it (404). */
  findClientByCode(code: string, options?: CallOptions): Promise<ClientRead | undefined>;
  /** `POST /purchase_orders.json`: creates a draft purchase order; resolves with it as the service answers it. */
  createPurchaseOrder(body: PurchaseOrderUpdateBody, options?: CallOptions): Promise<PurchaseOrderRead>;
  /**
   * `POST /{document-type}.json`: creates a draft of the type; resolves with
   * it as the service answers it (from under the type's root key).
   */
  createDocument(documentType: DocumentType, body: DocumentCreateBody, options?: CallOptions): Promise<DocumentRead>;
  /**
   * `PUT /{document-type}/{document-id}/change-state.json`: finalises,
   * cancels (with the reason as `message`), deletes a draft, settles or
   * unsettles the document; resolves with the document as it is now. Safe
   * to repeat, so retried as an update is: a repeat that the service refuses
   * (422) because the first attempt went through reads the document, and
   * resolves with it once it is in the state asked for. Resolves undefined
   * only when the answer holds no document, or a repeated delete finds the
   * document gone.
   */
  changeDocumentState(documentType: DocumentType, documentId: Id, change: DocumentStateChange, options?: CallOptions): Promise<DocumentRead | undefined>;
  /** `PUT /{document-type}/{document-id}/email-document.json`: emails the document as `message` says. */
  emailDocument(documentType: DocumentType, documentId: Id, message: DocumentEmail, options?: CallOptions): Promise<void>;
}

/** What the helpers need of the client: its read (any method), its update, and the document read and root keys. */
interface ClientParts {
  read<Resource>(path: keyof paths, pathParams: Record<string, unknown>, roots: string[], call?: CallOptions, sent?: Sent): Promise<Resource>;
  update(path: keyof paths, pathParams: Record<string, unknown>, body: unknown, call?: CallOptions): Promise<unknown>;
  getDocument(documentType: DocumentType, documentId: Id, call?: CallOptions): Promise<DocumentRead>;
  documentRoots(documentType: DocumentType): string[];
}

// The read's status once the change asked for is done (the vendor's table:
// finalising an invoice receipt settles it).
const reached = (state: DocumentStateChange["state"], documentType: DocumentType): string[] =>
  ({
    finalized: documentType === "invoice_receipts" ? ["final", "settled"] : ["final"],
    deleted: ["deleted"],
    canceled: ["canceled"],
    settled: ["settled"],
    unsettled: ["final"],
  })[state] ?? [];

export function lifeHelpers({ read, update, getDocument, documentRoots }: ClientParts): LifeHelpers {
  const created = <Resource>(path: keyof paths, pathParams: Record<string, unknown>, roots: string[], body: unknown, call?: CallOptions) =>
    read<Resource>(path, pathParams, roots, call, { method: "POST", body });
  const documentParams = (documentType: DocumentType, documentId: Id) => ({ "document-type": documentType, "document-id": documentId });
  const isError = (error: unknown, status: (value: number | undefined) => boolean) => error instanceof InvoiceXpressError && status(error.status);

  return {
    createClient: (body, call) => created("/clients.json", {}, ["client"], body, call),
    createPurchaseOrder: (body, call) => created("/purchase_orders.json", {}, ["purchase_order"], body, call),
    createDocument: (documentType, body, call) =>
      created("/{document-type}.json", { "document-type": documentType }, documentRoots(documentType), body, call),
    findClientByCode: (code, call) =>
      read<ClientRead>("/clients/find-by-code.json", {}, ["client"], call, { method: "GET", query: { client_code: code } }).catch((error: unknown) => {
        if (isError(error, (status) => status === 404)) return undefined;
        throw error;
      }),
    changeDocumentState: async (documentType, documentId, change, call) => {
      const sent: Sent = { method: "PUT", body: { invoice: change } };
      const path = "/{document-type}/{document-id}/change-state.json";
      try {
        return await read<DocumentRead>(path, documentParams(documentType, documentId), documentRoots(documentType), call, sent);
      } catch (error) {
        // Done, with an answer that holds no document.
        if (isError(error, (status) => status! >= 200 && status! < 300)) return undefined;
        if (!(sent.repeated && isError(error, (status) => status === 422))) throw error;
        // Refused on a repeat: the attempt before may have made the change.
        const current = await getDocument(documentType, documentId, call).catch((readError: unknown) => {
          if (change.state === "deleted" && isError(readError, (status) => status === 404)) return null;
          throw error;
        });
        if (current === null) return undefined;
        if (reached(change.state, documentType).includes(String(current.status))) return current;
        throw error;
      }
    },
    emailDocument: async (documentType, documentId, message, call) => {
      await update("/{document-type}/{document-id}/email-document.json", documentParams(documentType, documentId), { message }, call);
    },
  };
}
