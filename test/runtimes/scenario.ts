// The one scenario every runtime of `npm run test:runtimes` runs, against the
// Prism mock of the shipped spec: each read and update, an edit, each
// document type, the life of one invoice (find its client, create it,
// finalise it, send it), a call refused unsent, and a 404 and a 422 the
// mock is asked for. It uses nothing
// but the package and web-standard APIs, and it is handed the package as its
// host imported it (here only its types are imported, from the source).
import type * as Package from "../../src/index.js";

export interface StepResult {
  step: string;
  ok: boolean;
  /** Why the step failed. */
  detail?: string;
}

const documentTypes = ["invoices", "simplified_invoices", "invoice_receipts", "credit_notes", "debit_notes"] as const;
const refusedUnsent = "refused unsent: RequestValidationError";
const notFound = "404 from the mock: InvoiceXpressError not_found";
const unprocessable = "422 from the mock: InvoiceXpressError unprocessable";
const life = "the life of an invoice: find its client, create it, finalise it, send it";

/** Every step, in order: a host that reports fewer has not run the scenario. */
export const scenarioSteps = [
  "getClient",
  "getPurchaseOrder",
  ...documentTypes.map((type) => `getDocument ${type}`),
  "editDocument invoices",
  "updateClient",
  "updatePurchaseOrder",
  ...documentTypes.map((type) => `updateDocument ${type}`),
  life,
  refusedUnsent,
  notFound,
  unprocessable,
];

const clientBody: Package.ClientUpdateBody = {
  client: { name: "Client Name", code: "12345", email: "foo@bar.com", language: "pt", send_options: 1 },
};
const item = { name: "Item Name", description: "Item Description", unit_price: 100, quantity: 5 };
const purchaseOrderBody: Package.PurchaseOrderUpdateBody = {
  purchase_order: { date: "03/12/2017", due_date: "03/12/2017", loaded_at: "03/12/2017", client: { name: "Supplier Name" }, items: [item] },
};
const documentBody: Package.DocumentUpdateBody = {
  invoice: { date: "03/12/2017", due_date: "03/12/2017", client: { name: "Client Name", code: "A1" }, items: [item] },
};

export async function runScenario(pkg: typeof Package, mockUrl: string): Promise<StepResult[]> {
  const { createInvoiceXpressClient, InvoiceXpressError, RequestValidationError } = pkg;
  // The platform's own fetch, as a user's client gets it.
  const ix = createInvoiceXpressClient({ baseUrl: mockUrl, apiKey: "runtime-key", maxRetries: 0, timeoutMs: 15_000 });
  const sent: string[] = [];
  const recorded = createInvoiceXpressClient({
    baseUrl: mockUrl,
    apiKey: "runtime-key",
    maxRetries: 0,
    fetch: (input, init) => {
      sent.push(String(input));
      return fetch(input, init);
    },
  });

  const results: StepResult[] = [];
  const step = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
      results.push({ step: name, ok: true });
    } catch (error) {
      const detail = !(error instanceof Error) ? String(error) : error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
      results.push({ step: name, ok: false, detail });
    }
  };
  const expectFailure = async (call: Promise<unknown>) => {
    const outcome = await call.then(
      (value) => ({ resolved: value }),
      (error: unknown) => ({ error }),
    );
    if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
    return outcome.error;
  };
  const expectEqual = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  };

  // The mock answers each read with the spec's example.
  await step("getClient", async () => expectEqual("client code", (await ix.getClient(42)).code, "12345"));
  await step("getPurchaseOrder", async () => {
    // The read may name the supplier `client`, as the update does (the spec's example), or `supplier`.
    const order = await ix.getPurchaseOrder(7);
    expectEqual("supplier", (order.client ?? order.supplier)?.name, "Supplier Name");
  });
  for (const type of documentTypes) {
    await step(`getDocument ${type}`, async () => expectEqual("state", (await ix.getDocument(type, 9)).status, "draft"));
  }
  await step("editDocument invoices", async () => {
    const sentBody = await ix.editDocument("invoices", 9, (body) => {
      body.invoice.observations = "Edited";
    });
    expectEqual("items kept", sentBody.invoice.items.map((item) => item.name), ["Product A"]);
    expectEqual("observations", sentBody.invoice.observations, "Edited");
  });

  // A 2xx resolves; anything else rejects, so resolving is the check.
  await step("updateClient", async () => void (await ix.updateClient(42, clientBody)));
  await step("updatePurchaseOrder", async () => void (await ix.updatePurchaseOrder(7, purchaseOrderBody)));
  for (const type of documentTypes) {
    await step(`updateDocument ${type}`, async () => void (await ix.updateDocument(type, 9, documentBody)));
  }

  await step(life, async () => {
    expectEqual("client found", (await ix.findClientByCode("12345"))?.code, "12345");
    const draft = await ix.createDocument("invoices", documentBody);
    expectEqual("created", [draft.status, draft.sequence_number], ["draft", "rascunho"]);
    const final = await ix.changeDocumentState("invoices", draft.id!, { state: "finalized" });
    expectEqual("finalised", final?.status, "final");
    await ix.emailDocument("invoices", draft.id!, { client: { email: "foo@bar.com", save: "0" } });
  });

  await step(refusedUnsent, async () => {
    const badDate = { invoice: { ...documentBody.invoice, date: "31/02/2017" as const } };
    const error = await expectFailure(recorded.updateDocument("invoices", 9, badDate));
    if (!(error instanceof RequestValidationError)) throw error;
    expectEqual("issues", error.issues.map(({ in: where, path }) => `${where} ${path}`), ["body /invoice/date"]);
    expectEqual("requests sent", sent, []);
  });

  await step(notFound, async () => {
    const error = await expectFailure(ix.updateClient(404, clientBody, { headers: { Prefer: "code=404" } }));
    if (!(error instanceof InvoiceXpressError)) throw error;
    expectEqual("error", [error.code, error.status, error.messages], ["not_found", 404, ["Not found"]]);
    expectEqual("url", error.url.endsWith("/clients/404.json?api_key=***"), true);
  });

  await step(unprocessable, async () => {
    const error = await expectFailure(
      ix.updateDocument("credit_notes", 9, documentBody, { headers: { Prefer: "code=422, example=notDraft" } }),
    );
    if (!(error instanceof InvoiceXpressError)) throw error;
    expectEqual("error", [error.code, error.status, error.messages], [
      "unprocessable",
      422,
      ["Invoice has been settled so can't be changed anymore"],
    ]);
  });

  return results;
}
