// Checked by `tsc` in `npm test`: the mistakes the source pages describe do
// not compile. Each @ts-expect-error fails the type check if its line compiles.
import {
  createInvoiceXpressClient,
  type ClientRead,
  type DocumentRead,
  type Client,
  type ClientUpdateBody,
  type components,
  type Country,
  type CurrencyCode,
  type CalendarDate,
  type DocumentClient,
  type DocumentType,
  type DocumentUpdateBody,
  type Email,
  type ErrorBody,
  type Id,
  type IntegerId,
  type Item,
  type Items,
  type InvoicingDocument,
  type IvaExemptionCode,
  type Language,
  type NonNegativeNumber,
  type Percentage,
  type PreferredContact,
  type PurchaseOrder,
  type PurchaseOrderUpdateBody,
  type Retention,
  type SendOptions,
  type Supplier,
  type SuccessBody,
  type Tax,
  type TaxExemptionReason,
  InvoiceXpressError,
} from "../src/index.js";

const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "key" });
const item = { name: "Item", description: "Item", unit_price: 10, quantity: 1 };
const invoice: DocumentUpdateBody["invoice"] = {
  date: "03/12/2017",
  due_date: "03/12/2017",
  client: { name: "Client", code: "A1" },
  items: [item],
};

export async function mistakes() {
  // @ts-expect-error a document's client needs a code
  await ix.updateDocument("invoices", 1, { invoice: { ...invoice, client: { name: "Client" } } });
  // @ts-expect-error a client update needs a code
  await ix.updateClient(42, { client: { name: "Acme" } });
  // @ts-expect-error "receipts" is not one of the five document types
  await ix.updateDocument("receipts", 1, { invoice });
  // @ts-expect-error the language is en, pt or es
  await ix.updateClient(42, { client: { name: "Acme", code: "A1", language: "fr" } });
  // @ts-expect-error items is an array
  await ix.updateDocument("invoices", 1, { invoice: { ...invoice, items: item } });
  // @ts-expect-error the body of a document goes under "invoice", for every type
  await ix.updateDocument("credit_notes", 1, { credit_note: invoice });
  // @ts-expect-error a purchase order needs its loaded_at date
  await ix.updatePurchaseOrder(7, { purchase_order: { date: "03/12/2017", due_date: "03/12/2017", client: { name: "S" }, items: [item] } });
  // @ts-expect-error send_options is 1, 2 or 3
  await ix.updateClient(42, { client: { name: "Acme", code: "A1", send_options: 4 } });
  // @ts-expect-error misspelt fields are refused
  await ix.updateDocument("invoices", 1, { invoice: { ...invoice, items: [{ ...item, discont: 5 }] } });
  // @ts-expect-error a date is dd/mm/yyyy, not an ISO date
  await ix.updateDocument("invoices", 1, { invoice: { ...invoice, date: "2017-12-03" } });
  // @ts-expect-error nor an ISO date and time
  const when: CalendarDate = new Date().toISOString();
  void when;
  // An ID may be a string of digits, as the spec says.
  await ix.getClient("42");
  // @ts-expect-error the raw PUT knows its path parameters
  await ix.PUT("/clients/{client-id}.json", { params: { path: { "document-id": 1 } }, body: { client: { name: "A", code: "B" } } });
}

// Each schema is exported under the spec's name as exactly its type (not
// `any`, not a copy that could drift).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Schemas = components["schemas"];
export const namedSchemaTypes: [
  Same<Client, Schemas["Client"]>,
  Same<ClientUpdateBody, Schemas["ClientUpdateBody"]>,
  Same<Country, Schemas["Country"]>,
  Same<CurrencyCode, Schemas["CurrencyCode"]>,
  Same<CalendarDate, Schemas["CalendarDate"]>,
  Same<InvoicingDocument, Schemas["InvoicingDocument"]>,
  Same<DocumentClient, Schemas["DocumentClient"]>,
  Same<DocumentType, Schemas["DocumentType"]>,
  Same<DocumentUpdateBody, Schemas["DocumentUpdateBody"]>,
  Same<Email, Schemas["Email"]>,
  Same<ErrorBody, Schemas["ErrorBody"]>,
  Same<Id, Schemas["Id"]>,
  Same<IntegerId, Schemas["IntegerId"]>,
  Same<Item, Schemas["Item"]>,
  Same<Items, Schemas["Items"]>,
  Same<IvaExemptionCode, Schemas["IvaExemptionCode"]>,
  Same<Language, Schemas["Language"]>,
  Same<NonNegativeNumber, Schemas["NonNegativeNumber"]>,
  Same<Percentage, Schemas["Percentage"]>,
  Same<PreferredContact, Schemas["PreferredContact"]>,
  Same<PurchaseOrder, Schemas["PurchaseOrder"]>,
  Same<PurchaseOrderUpdateBody, Schemas["PurchaseOrderUpdateBody"]>,
  Same<Retention, Schemas["Retention"]>,
  Same<SendOptions, Schemas["SendOptions"]>,
  Same<Supplier, Schemas["Supplier"]>,
  Same<Tax, Schemas["Tax"]>,
  Same<TaxExemptionReason, Schemas["TaxExemptionReason"]>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

// Built by hand from the named types, a body is what the helper takes.
const tax: Tax = { name: "IVA23" };
const line: Item = { name: "Item", description: "Item", unit_price: 10, quantity: 1, tax };
const buyer: DocumentClient = { name: "Client", code: "A1" };
export const built: DocumentUpdateBody = { invoice: { date: "03/12/2017", due_date: "03/12/2017", client: buyer, items: [line] } };
// @ts-expect-error a document's client needs a code, in the named type too
export const codeless: DocumentClient = { name: "Client" };

// The helpers resolve with what the spec documents for a 200: no body, for
// each operation. If the spec documents one, this fails, and the helpers
// must then parse and return it.
export const successBodies: [
  Same<SuccessBody<"/clients/{client-id}.json">, undefined>,
  Same<SuccessBody<"/purchase_orders/{document-id}.json">, undefined>,
  Same<SuccessBody<"/{document-type}/{document-id}.json">, undefined>,
] = [true, true, true];
export const resolved: Promise<undefined> = ix.updateClient(42, { client: { name: "Acme", code: "A1" } });

// The life's helpers resolve with the resources the spec's answers hold.
export const createdDocument: Promise<DocumentRead> = ix.createDocument("invoices", built);
export const foundClient: Promise<ClientRead | undefined> = ix.findClientByCode("A1");
export const changed: Promise<DocumentRead | undefined> = ix.changeDocumentState("invoices", 1, { state: "finalized" });
export const emailed: Promise<void> = ix.emailDocument("invoices", 1, { client: { email: "a@b.pt", save: "1" } });
// @ts-expect-error a cancellation needs its reason
export const reasonless = ix.changeDocumentState("invoices", 1, { state: "canceled" });
// @ts-expect-error the state is one of the five types' own (accepted is a quote's)
export const quoteState = ix.changeDocumentState("invoices", 1, { state: "accepted" });
// @ts-expect-error a document is created under invoice, whatever its type
export const typedRoot = ix.createDocument("invoice_receipts", { invoice_receipt: built.invoice });

// An error's code narrows its status, with no cast.
export function statusOf(error: unknown): number | "no answer" | undefined {
  if (!(error instanceof InvoiceXpressError)) return undefined;
  if (error.code === "timeout" || error.code === "network" || error.code === "not_draft") {
    const none: undefined = error.status;
    return none ?? "no answer";
  }
  const status: number = error.status;
  return status;
}
