// A consumer of the packed package, as CommonJS.
import ix = require("invoicexpress-openapi");

declare const require: { resolve(id: string): string };

const fetch = async (_url: string | Request, _init?: RequestInit) =>
  new Response(JSON.stringify({ errors: { error: "Elemento client não fornecido" } }), { status: 422 });
const client = ix.createInvoiceXpressClient({ accountName: "acme", apiKey: "consumer-key", fetch });
const body: ix.DocumentUpdateBody = {
  invoice: { date: "03/12/2017", due_date: "03/12/2017", client: { name: "C", code: "C1" }, items: [{ name: "Item", description: "Item", unit_price: 1, quantity: 1 }] },
};
client
  .updateDocument("invoices", 1, body)
  .catch((error: unknown) => {
    const failure = error as InstanceType<typeof ix.InvoiceXpressError>;
    console.log(
      JSON.stringify({
        isError: error instanceof ix.InvoiceXpressError,
        code: failure.code,
        messages: failure.messages,
        spec: require.resolve("invoicexpress-openapi/openapi.yaml").endsWith("invoicexpress.yaml"),
      }),
    );
  });
