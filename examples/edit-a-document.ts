// Change one thing on an invoice and keep the rest: run it against the mock
// (`npx invoicexpress-openapi mock`, or `npm start` in a clone) with
//   INVOICEXPRESS_BASE_URL=http://127.0.0.1:4010 npx tsx examples/edit-a-document.ts
// or against your account with INVOICEXPRESS_ACCOUNT and INVOICEXPRESS_API_KEY.
import { createInvoiceXpressClient } from "invoicexpress-openapi";

const { INVOICEXPRESS_BASE_URL: baseUrl, INVOICEXPRESS_ACCOUNT: accountName, INVOICEXPRESS_API_KEY: apiKey = "any" } = process.env;
const ix = createInvoiceXpressClient(baseUrl ? { baseUrl, apiKey } : { accountName: accountName!, apiKey });

const invoice = await ix.getDocument("invoices", 1);
console.log(`invoice ${invoice.id} is ${invoice.status}, with ${invoice.items?.length} item(s)`);

const sent = await ix.editDocument("invoices", 1, (body) => {
  body.invoice.observations = "Paid by bank transfer";
});
console.log(`sent ${sent.invoice.items.length} item(s) back, observations: ${sent.invoice.observations}`);
