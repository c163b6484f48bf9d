// A consumer of the packed package, as ESM: every line of the public API.
import {
  createInvoiceXpressClient,
  InvoiceXpressError,
  type ClientUpdateBody,
  type DocumentClient,
  type DocumentType,
  type DocumentUpdateBody,
  type Item,
  type PurchaseOrderUpdateBody,
  type Tax,
  type components,
  type paths,
} from "invoicexpress-openapi";
import { fromCalendarDate, toCalendarDate } from "invoicexpress-openapi/dates";

const seen: string[] = [];
const fetch = async (url: string | Request, init?: RequestInit) => {
  seen.push(`${init?.method} ${new URL(String(url)).pathname}`);
  return String(url).includes("/clients/404.json")
    ? new Response(JSON.stringify({ errors: ["Not found"] }), { status: 404 })
    : new Response(null, { status: 200 });
};

const ix = createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey: "consumer-key", fetch });
const tax: Tax = { name: "IVA23" };
const item: Item = { name: "Item", description: "Item", unit_price: "100", quantity: 5, tax };
const buyer: DocumentClient = { name: "C", code: "C1" };
const sameItem: components["schemas"]["Item"] = item;
const clientBody: ClientUpdateBody = { client: { name: "Acme", code: "A1", language: "pt" } };
const orderBody: PurchaseOrderUpdateBody = {
  purchase_order: { date: "03/12/2017", due_date: "03/12/2017", loaded_at: "03/12/2017", client: { name: "S" }, items: [item] },
};
const type: DocumentType = "credit_notes";
const documentBody: DocumentUpdateBody = {
  invoice: { date: toCalendarDate({ year: 2017, month: 12, day: 3 }), due_date: "03/12/2017", client: buyer, items: [sameItem], owner_invoice_id: 1 },
};
const path: keyof paths = "/clients/{client-id}.json";

await ix.updateClient(42, clientBody);
await ix.updatePurchaseOrder(7, orderBody);
await ix.updateDocument(type, 9, documentBody);
await ix.updateClient(42, clientBody, { signal: new AbortController().signal, headers: { "x-request-id": "1" } });
const { error, response } = await ix.PUT(path, { params: { path: { "client-id": 404 } }, body: clientBody });
const failure = await ix.updateClient(404, clientBody).catch((e: unknown) => e);
console.log(
  JSON.stringify({
    seen,
    raw: { status: response.status, error },
    failure: failure instanceof InvoiceXpressError ? { code: failure.code, messages: failure.messages } : String(failure),
    spec: import.meta.resolve("invoicexpress-openapi/openapi.yaml").endsWith("/openapi/invoicexpress.yaml"),
    date: fromCalendarDate(documentBody.invoice.date),
  }),
);
