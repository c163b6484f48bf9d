// Your code against a fake account, in memory: no network, no mock.
//   npx tsx examples/fake-account.ts
import { createInvoiceXpressClient, InvoiceXpressError } from "invoicexpress-openapi";
import { createFakeAccount, defaultSeed } from "invoicexpress-openapi/testing";

// Without a seed the account holds defaultSeed, the spec's examples: invoice 24206414 is a draft.
const account = createFakeAccount();
const invoiceId = defaultSeed.documents![0]!.id;
const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "test", fetch: account.fetch, maxRetries: 1 });

account.failNext(1, { status: 503 });
await ix.editDocument("invoices", invoiceId, (body) => {
  body.invoice.reference = "PO-2026-7";
});
console.log(`reference: ${account.document("invoices", invoiceId)?.reference}; requests: ${account.requests.map(({ method, path }) => `${method} ${path}`).join(", ")}`);

// An ID the account does not hold: a 404 whose message lists the ones it does.
const missing = await ix.getClient(1).catch((error: unknown) => error);
if (missing instanceof InvoiceXpressError) console.log(`client 1: ${missing.code}`);
