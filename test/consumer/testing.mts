// A consumer's own tests, as ESM: the fake account of the packed package,
// through its fetch and through msw.
import { setupServer } from "msw/node";
import { createInvoiceXpressClient } from "invoicexpress-openapi";
import { createFakeAccount, defaultSeed, type FakeAccountSeed } from "invoicexpress-openapi/testing";

// The default seed ships, typed, and names an account's host for msw.
if (!defaultSeed.clients?.length) throw new Error("defaultSeed holds no client");
const seed: FakeAccountSeed = {
  accountName: "acme",
  documents: [
    {
      id: 1,
      type: "credit_notes",
      status: "draft",
      date: "01/02/2026",
      due_date: "01/02/2026",
      client: { id: 3, name: "Acme", code: "A1" },
      items: [
        { name: "Apples", description: "Red", unit_price: "2.0", quantity: "3.0", tax: { id: 1, name: "IVA23", value: 23 } },
        { name: "Pears", description: "Green", unit_price: "1.5", quantity: "2.0", tax: { id: 2, name: "IVA6", value: 6 } },
      ],
    },
    { id: 2, type: "invoices", status: "final", date: "01/02/2026", due_date: "01/02/2026", items: [] },
  ],
  clients: [{ id: 3, name: "Acme", code: "A1" }],
};
const account = createFakeAccount(seed);
const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "consumer-key", fetch: account.fetch, maxRetries: 1 });

await ix.editDocument("credit_notes", 1, (body) => {
  body.invoice.items[0]!.quantity = 5;
});
account.failNext(1, { status: 503 });
const after = await ix.getDocument("credit_notes", 1);
const settled = await ix.updateDocument("invoices", 2, { invoice: { date: "01/02/2026", due_date: "01/02/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "A", description: "B", unit_price: 1, quantity: 1 }] } }).catch((error: { messages: string[] }) => error.messages);

const server = setupServer(...account.handlers());
server.listen({ onUnhandledRequest: "error" });
const viaMsw = await createInvoiceXpressClient({ accountName: "acme", apiKey: "consumer-key" }).getClient(3);
server.close();

console.log(
  JSON.stringify({
    items: after.items!.map(({ name, quantity }) => [name, quantity]),
    settled,
    requests: account.requests.map(({ method, path, url }) => `${method} ${path} ${url.includes("consumer-key")}`),
    msw: viaMsw.name,
  }),
);
