// The life of an invoice around its edit: find the client by its code (or
// create it), create a draft, edit it, finalise it, send it.
//   INVOICEXPRESS_BASE_URL=http://127.0.0.1:4010 npx tsx examples/document-life.ts
import { createInvoiceXpressClient } from "invoicexpress-openapi";

const { INVOICEXPRESS_BASE_URL: baseUrl = "http://127.0.0.1:4010", INVOICEXPRESS_API_KEY: apiKey = "any" } = process.env;
const ix = createInvoiceXpressClient({ baseUrl, apiKey });

const client = (await ix.findClientByCode("12345")) ?? (await ix.createClient({ client: { name: "Client Name", code: "12345" } }));
const draft = await ix.createDocument("invoices", {
  invoice: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    client: { name: client.name!, code: client.code! },
    items: [{ name: "Product A", description: "Cleaning product", unit_price: 10, quantity: 1 }],
  },
});
console.log(`created invoice ${draft.id}, ${draft.status}`);
const sent = await ix.editDocument("invoices", draft.id!, (body) => {
  body.invoice.observations = "Thank you";
});
const final = await ix.changeDocumentState("invoices", draft.id!, { state: "finalized" });
await ix.emailDocument("invoices", draft.id!, { client: { email: "foo@bar.com", save: "0" } });
console.log(`edited (${sent.invoice.items.length} item(s)), ${final?.status} as ${final?.sequence_number}, emailed`);
