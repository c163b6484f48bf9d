// Attacks on the docs' promises for the edits and the fake account: a no-op
// edit keeps a resource as it is or is refused unsent naming the field; the
// fake account records requests with the key masked.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createInvoiceXpressClient, RequestValidationError } from "../src/index.js";
import { createFakeAccount, type SeedDocument } from "../src/testing/index.js";

// gc() in this worker, as `node --expose-gc` gives it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const key = "0123456789abcdef0123456789abcdef01234567";
const line = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: name,
  unit_price: "10.0",
  quantity: "1.0",
  discount: 0.0,
  tax: { id: 1, name: "IVA23", value: 23.0 },
  ...extra,
});
const invoice = (extra: Record<string, unknown> = {}): SeedDocument => ({
  id: 5,
  type: "invoices",
  status: "draft",
  date: "01/02/2026",
  due_date: "01/03/2026",
  tax_exemption: "",
  currency: "Euro",
  client: { id: 3, name: "Acme", code: "A1" },
  items: [line("Apples")],
  ...extra,
});
const clientOf = (account: ReturnType<typeof createFakeAccount>) =>
  createInvoiceXpressClient({ accountName: "acme", apiKey: key, fetch: account.fetch, maxRetries: 0, rateLimit: false });

describe("a no-op edit keeps a discount", () => {
  it("a global discount the edit set is still there after a second, no-op edit", async () => {
    const account = createFakeAccount({ apiKey: key, clients: [{ id: 3, name: "Acme", code: "A1" }], documents: [invoice()] });
    const ix = clientOf(account);
    await ix.editDocument("invoices", 5, (body) => {
      body.invoice.global_discount = { value_type: "percentage", value: 10 };
    });
    const discounted = account.document("invoices", 5)!;
    expect(Number(discounted.discount)).toBe(1);
    // Nothing changed by the caller: either the discount stays, or the edit is refused unsent naming global_discount.
    const outcome = await ix.editDocument("invoices", 5, () => {}).then(
      () => "sent",
      (error: unknown) => error,
    );
    if (outcome === "sent") expect(account.document("invoices", 5)!.discount).toEqual(discounted.discount);
    else {
      expect(outcome).toBeInstanceOf(RequestValidationError);
      expect((outcome as RequestValidationError).issues.map((issue) => issue.path)).toContain("/invoice/global_discount");
      expect(account.requests.filter(({ method }) => method === "PUT")).toHaveLength(1);
    }
  });

  it("a read whose discount is more than its items' is refused unsent, naming global_discount", async () => {
    const account = createFakeAccount({
      apiKey: key,
      documents: [invoice({ sum: "20.0", discount: "2.0", before_taxes: "18.0", items: [line("Apples"), line("Pears")] })],
    });
    const ix = clientOf(account);
    const error = await ix.editDocument("invoices", 5, () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toContain("/invoice/global_discount");
    expect(account.requests.map(({ method }) => method)).toEqual(["GET"]);
  });

  it("item discounts alone make no global discount: the no-op edit goes out", async () => {
    const account = createFakeAccount({
      apiKey: key,
      documents: [invoice({ sum: "20.0", discount: "1.0", items: [line("Apples", { discount: "10.0", discount_amount: "1.0" }), line("Pears")] })],
    });
    const ix = clientOf(account);
    await ix.editDocument("invoices", 5, () => {});
    expect(account.requests.map(({ method }) => method)).toEqual(["GET", "PUT"]);
  });
});

describe("a no-op edit keeps a currency", () => {
  it.each([{}, { currency: null, rate: null }, { currency: "", rate: "" }])("currency US Dollar with multicurrency %j is refused unsent, naming currency_code", async (multicurrency) => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice({ currency: "US Dollar", multicurrency } as never)] });
    const ix = clientOf(account);
    const error = await ix.editDocument("invoices", 5, () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toContain("/invoice/currency_code");
    expect(account.requests.map(({ method }) => method)).toEqual(["GET"]);
  });
});

describe("the fake account records requests with the key masked", () => {
  it("in the path", async () => {
    const account = createFakeAccount({ apiKey: key });
    await account.fetch(`https://acme.app.invoicexpress.com/clients/${key}.json?api_key=${key}`);
    expect(JSON.stringify(account.requests)).not.toContain(key);
  });

  it("in a JSON body's field name", async () => {
    const account = createFakeAccount({ apiKey: key });
    await account.fetch(`https://acme.app.invoicexpress.com/clients/1.json?api_key=${key}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { [key]: "x", name: "A", code: "B" } }),
    });
    expect(JSON.stringify(account.requests)).not.toContain(key);
  });

  it("under API_KEY in capitals", async () => {
    const account = createFakeAccount();
    await account.fetch(`https://acme.app.invoicexpress.com/clients/1.json?API_KEY=short`);
    expect(account.requests[0]!.url).not.toContain("short");
  });
});

describe("a no-op edit over read forms the update takes otherwise", () => {
  it("an item's discount read as \"\" (never set) is no discount, and the edit goes out", async () => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice({ items: [line("Apples", { discount: "" })] })] });
    const ix = clientOf(account);
    const sent = await ix.editDocument("invoices", 5, () => {});
    expect(sent.invoice.items[0]).not.toHaveProperty("discount");
    expect(Number(account.document("invoices", 5)!.items![0]!.discount)).toBe(0);
  });
});

describe("the fake account reads a document's currency as the service does", () => {
  it("a document made in USD reads back Euro beside multicurrency, and a no-op edit keeps it in USD", async () => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice()] });
    const ix = clientOf(account);
    await ix.editDocument("invoices", 5, (body) => {
      body.invoice.currency_code = "USD";
      body.invoice.rate = "1.09";
    });
    const made = await ix.getDocument("invoices", 5);
    expect(made).toMatchObject({ currency: "Euro", multicurrency: { currency: "USD", rate: 1.09 } });
    const sent = await ix.editDocument("invoices", 5, () => {});
    expect(sent.invoice).toMatchObject({ currency_code: "USD", rate: 1.09 });
    expect(await ix.getDocument("invoices", 5)).toEqual(made);
  });
});

describe("the fake account's handlers, and the client's lookup of fetch", () => {
  it("a client created before server.listen(), with a base URL that has a path, is answered by handlers({ baseUrl }) for it", async () => {
    const { setupServer } = await import("msw/node");
    const baseUrl = "http://127.0.0.1:4010/api/v1";
    const ix = createInvoiceXpressClient({ baseUrl, apiKey: key, maxRetries: 0, rateLimit: false });
    const account = createFakeAccount({ apiKey: key, clients: [{ id: 7, name: "Acme", code: "A1" }] });
    const server = setupServer(...account.handlers({ baseUrl }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      expect((await ix.getClient(7)).name).toBe("Acme");
      await ix.editClient(7, (body) => void (body.client.city = "Porto"));
      expect(account.client(7)?.city).toBe("Porto");
      expect(account.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(["GET /clients/7.json", "GET /clients/7.json", "PUT /clients/7.json"]);
    } finally {
      server.close();
    }
  });

  it("an account name in capitals: the client's calls go, and the named account's handlers answer them", async () => {
    const { setupServer } = await import("msw/node");
    const ix = createInvoiceXpressClient({ accountName: "Shop", apiKey: key, maxRetries: 0, rateLimit: false });
    const shop = createFakeAccount({ accountName: "SHOP", apiKey: key, clients: [{ id: 7, name: "Shop's", code: "S7" }] });
    const bakery = createFakeAccount({ accountName: "bakery", apiKey: key, clients: [{ id: 7, name: "Bakery's", code: "B7" }] });
    const server = setupServer(...bakery.handlers(), ...shop.handlers());
    server.listen({ onUnhandledRequest: "error" });
    try {
      expect((await ix.getClient(7)).name).toBe("Shop's");
      expect(bakery.requests).toHaveLength(0);
    } finally {
      server.close();
    }
  });

  it("a 429 without retryAfter: the call pauses a second and goes on", { timeout: 10_000 }, async () => {
    const account = createFakeAccount({ apiKey: key, clients: [{ id: 7, name: "Acme", code: "A1" }] });
    account.failNext(1, { status: 429 });
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: key, fetch: account.fetch });
    expect((await ix.getClient(7)).name).toBe("Acme");
    expect(account.requests).toHaveLength(2);
  });

  it("bodies as bytes and as a Blob are JSON; the seed changed afterwards changes nothing", async () => {
    const given = { apiKey: key, clients: [{ id: 7, name: "Acme", code: "A1" }] };
    const account = createFakeAccount(given);
    given.apiKey = "another-key-entirely";
    given.clients[0]!.name = "Changed";
    const json = JSON.stringify({ client: { name: "Acme", code: "A1", city: "Faro" } });
    for (const body of [new TextEncoder().encode(json), new Blob([json], { type: "application/json" })]) {
      const answer = await account.fetch(`https://acme.app.invoicexpress.com/clients/7.json?api_key=${key}`, { method: "PUT", headers: { "content-type": "application/json" }, body });
      expect(answer.status).toBe(200);
    }
    expect(account.client(7)).toMatchObject({ name: "Acme", city: "Faro" });
  });
});

describe("a no-op edit never merges lines", () => {
  it("a read with two items of one name is refused unsent, naming the second", async () => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice({ items: [line("Apples"), line("Apples", { unit_price: "5.0", tax: { id: 3, name: "IVA6", value: 6 } })] })] });
    const ix = clientOf(account);
    const error = await ix.editDocument("invoices", 5, () => {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual(["/invoice/items/1/name"]);
    expect(account.requests.map(({ method }) => method)).toEqual(["GET"]);
    // Renamed in the edit, it goes.
    await ix.editDocument("invoices", 5, (body) => void (body.invoice.items[1]!.name = "Apples, small"));
    expect(account.document("invoices", 5)!.items!.map((item) => item.name)).toEqual(["Apples", "Apples, small"]);
  });
});

describe("the fake account's faults hold whatever the garbage collector does", () => {
  it("a hang ends at the caller's AbortSignal.timeout after collections", { timeout: 10_000 }, async () => {
    const account = createFakeAccount({ apiKey: key });
    account.failNext(1, "hang");
    const collecting = setInterval(gc, 20);
    try {
      const ended = await Promise.race([
        account.fetch(`https://acme.app.invoicexpress.com/clients/6212263.json?api_key=${key}`, { signal: AbortSignal.timeout(300) }).then(
          () => "answered",
          (error: Error) => error.name,
        ),
        new Promise((resolve) => setTimeout(resolve, 5_000, "still hanging")),
      ]);
      expect(ended).toBe("TimeoutError");
    } finally {
      clearInterval(collecting);
    }
  });
});

describe("observers that fail change nothing", () => {
  const thenableThatThrows = { then: () => { throw new Error("then threw"); } };
  it.each([
    ["a debug that throws", { logger: { debug: () => { throw new Error("log down"); } } }],
    ["a debug whose answer's then throws", { logger: { debug: () => thenableThatThrows } }],
    ["a debug that never settles", { logger: { debug: () => new Promise(() => {}) } }],
    ["an onWait that throws", { onWait: () => { throw new Error("observer down"); } }],
    ["an onWait whose answer's then throws", { onWait: () => thenableThatThrows }],
  ])("%s: the 503 is retried and the update resolves", async (_, observer) => {
    const account = createFakeAccount({ apiKey: key, clients: [{ id: 7, name: "Acme", code: "A1" }] });
    account.failNext(1, { status: 503 });
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: key, fetch: account.fetch, ...(observer as object) });
    await expect(ix.editClient(7, (body) => void (body.client.city = "Porto"))).resolves.toMatchObject({ client: { city: "Porto" } });
    expect(account.client(7)?.city).toBe("Porto");
    expect(account.requests.map(({ method }) => method)).toEqual(["GET", "GET", "PUT"]);
  });
});

describe("the key stays out of the edits' errors", () => {
  it("a read whose state echoes the key: the not_draft error masks it", async () => {
    const echoing = async () =>
      new Response(JSON.stringify({ invoice: { id: 1, status: `final ${key} ${encodeURIComponent(key)}`, items: [] } }), { headers: { "content-type": "application/json" } });
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: key, fetch: echoing, rateLimit: false });
    const error = (await ix.editDocument("invoices", 1, () => {}).catch((caught: unknown) => caught)) as Error & { code?: string };
    expect(error.code).toBe("not_draft");
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain(key);
  });
});

describe("an edit that renames a line keeps what the read could not say in view", () => {
  it("a renamed line whose tax the read does not name is refused unsent, naming its tax", async () => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice({ items: [line("Apples", { tax: null })] })] });
    const ix = clientOf(account);
    const error = await ix.editDocument("invoices", 5, (body) => void (body.invoice.items[0]!.name = "Apples (refunded)")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual(["/invoice/items/0/tax/name"]);
    expect(account.requests.map(({ method }) => method)).toEqual(["GET"]);
  });

  it("a renamed exempt line with no tax_exemption in the read is refused unsent, naming tax_exemption", async () => {
    const account = createFakeAccount({ apiKey: key, documents: [invoice({ tax_exemption: "", items: [line("Poster", { tax: { id: 4, name: "Isento", value: 0 } })] })] });
    const ix = clientOf(account);
    const error = await ix.editDocument("invoices", 5, (body) => void (body.invoice.items[0]!.name = "Poster, large")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual(["/invoice/tax_exemption"]);
    expect(account.requests.map(({ method }) => method)).toEqual(["GET"]);
  });
});
