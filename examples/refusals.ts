// What the client refuses before anything is sent, and how it says so.
//   INVOICEXPRESS_BASE_URL=http://127.0.0.1:4010 npx tsx examples/refusals.ts
import { createInvoiceXpressClient, RequestValidationError } from "invoicexpress-openapi";

const { INVOICEXPRESS_BASE_URL: baseUrl = "http://127.0.0.1:4010", INVOICEXPRESS_API_KEY: apiKey = "any" } = process.env;
const ix = createInvoiceXpressClient({ baseUrl, apiKey });

// Data from elsewhere (a form, another system): what the types cannot see.
const fromAForm: Record<string, unknown> = { date: "31/02/2026", due_date: "2026-03-31", discont: 5 };

try {
  await ix.editDocument("invoices", 1, (body) => ({ invoice: { ...body.invoice, ...fromAForm } }));
} catch (error) {
  if (!(error instanceof RequestValidationError)) throw error;
  for (const issue of error.issues) console.log(`${issue.path}: ${issue.message}`);
}
