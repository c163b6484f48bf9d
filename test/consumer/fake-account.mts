// A consumer of the fake account without msw installed: its types need none.
import { createInvoiceXpressClient } from "invoicexpress-openapi";
import { createFakeAccount } from "invoicexpress-openapi/testing";

const account = createFakeAccount();
const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "test", fetch: account.fetch });
const [first] = account.clients;
if (first) await ix.getClient(first.id);
