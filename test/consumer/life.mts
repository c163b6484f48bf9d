// A consumer's life of a document, as ESM, on the packed package: the fake
// account through a create, an edit, a finalisation and an email; and a
// create whose connection is lost once sent, which is not sent again.
import { createInvoiceXpressClient, InvoiceXpressError, type InvoicingDocument } from "invoicexpress-openapi";
import { createFakeAccount } from "invoicexpress-openapi/testing";

const account = createFakeAccount({ clients: [] });
const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "consumer-key", fetch: account.fetch });
const invoice: InvoicingDocument = { date: "01/02/2026", due_date: "01/03/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "A", description: "B", unit_price: 1, quantity: 1 }] };
const draft = await ix.createDocument("invoices", { invoice });
await ix.editDocument("invoices", draft.id!, (body) => void (body.invoice.observations = "Thanks"));
const final = await ix.changeDocumentState("invoices", draft.id!, { state: "finalized" });
await ix.emailDocument("invoices", draft.id!, { client: { email: "books@acme.pt", save: "0" } });
const found = await ix.findClientByCode("A1");

// A connection lost once the create was sent, as Node's fetch reports it.
let creates = 0;
const lost = async () => {
  creates++;
  throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
};
const dropped = await createInvoiceXpressClient({ accountName: "acme", apiKey: "consumer-key", fetch: lost })
  .createDocument("invoices", { invoice })
  .catch((error: unknown) => (error instanceof InvoiceXpressError ? error.messages.at(-1) : String(error)));

console.log(
  JSON.stringify({
    life: [draft.status, final?.status, final?.sequence_number, account.emails.length, found?.name],
    dropped: [creates, dropped],
  }),
);
