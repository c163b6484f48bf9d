// Many updates in a row, kept under the account's rate limit: each call
// waits for its turn, and onWait says when and why.
//   INVOICEXPRESS_BASE_URL=http://127.0.0.1:4010 npx tsx examples/bulk-updates.ts
import { createInvoiceXpressClient, type WaitEvent } from "invoicexpress-openapi";

const { INVOICEXPRESS_BASE_URL: baseUrl = "http://127.0.0.1:4010", INVOICEXPRESS_API_KEY: apiKey = "any" } = process.env;
const waits: WaitEvent[] = [];
const ix = createInvoiceXpressClient({
  baseUrl,
  apiKey,
  // A small limit, to see the waits: 5 requests in any 500 ms.
  rateLimit: { requests: 5, perMs: 500 },
  onWait: (event) => waits.push(event),
});

const clients = Array.from({ length: 12 }, (_, i) => ({ id: 100 + i, name: `Client ${i}`, code: `C${i}` }));
const results = await Promise.allSettled(clients.map(({ id, name, code }) => ix.updateClient(id, { client: { name, code } })));
console.log(`${results.filter((result) => result.status === "fulfilled").length} of ${clients.length} updated; ${waits.filter((wait) => wait.reason === "queued").length} waited for a turn`);
