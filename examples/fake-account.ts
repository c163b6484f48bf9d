// Your code against a fake account, in memory: no network, no mock.
//   npx tsx examples/fake-account.ts
import { createInvoiceXpressClient, InvoiceXpressError } from "invoicexpress-openapi";
import { createFakeAccount } from "invoicexpress-openapi/testing";

const account = createFakeAccount(); // the spec's examples: invoice 24206414 is a draft
const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "test", fetch: account.fetch, maxRetries: 1 });

account.failNext(1, { status: 503 });
await ix.editDocument("invoices", 24206414, (body) => {
  body.invoice.reference = "PO-2026-7";
});
console.log(`reference: ${account.document("invoices", 24206414)?.reference}; requests: ${account.requests.map(({ method, path }) => `${method} ${path}`).join(", ")}`);

const missing = await ix.getClient(1).catch((error: unknown) => error);
if (missing instanceof InvoiceXpressError) console.log(`client 1: ${missing.code}`);
