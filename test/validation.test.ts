// The client refuses what the spec refuses, before anything is sent.
import { describe, expect, it } from "vitest";
import { createInvoiceXpressClient, RequestValidationError, type ValidationIssue } from "../src/index.js";
import { requestIssues } from "../src/validation.js";
import { loadSpec } from "../scripts/spec.js";
import { constraints, withChange } from "./support/constraint-cases.js";
import { recordingFetch } from "./support/recording-fetch.js";
import { operationPaths, vendorBodies, type Operation } from "./support/vendor-bodies.js";

const pointerOf = (field: string) => `/${field.split(".").join("/")}`;

describe("every documented constraint, checked by the client", () => {
  for (const [id, cases] of Object.entries(constraints) as [Operation, (typeof constraints)[Operation]][]) {
    const [template, path] = operationPaths[id];
    it.each(cases.flatMap(([field, accepted]) => accepted.map((v) => [id, field, JSON.stringify(v) ?? "(absent)", v] as const)))(
      "%s: %s accepts %s",
      (_id, field, _shown, value) => {
        expect(requestIssues("PUT", template, path, withChange(vendorBodies[id], field, value))).toEqual([]);
      },
    );
    it.each(cases.flatMap(([field, , refused]) => refused.map((v) => [id, field, JSON.stringify(v) ?? "(absent)", v] as const)))(
      "%s: %s refuses %s, naming the field",
      (_id, field, _shown, value) => {
        const issues = requestIssues("PUT", template, path, withChange(vendorBodies[id], field, value));
        expect(issues.length).toBeGreaterThan(0);
        // The issue points at the field itself, or at something inside it.
        for (const issue of issues) {
          expect(issue.in).toBe("body");
          expect(issue.path === pointerOf(field) || issue.path.startsWith(`${pointerOf(field)}/`), issue.path).toBe(true);
          expect(issue.message).toMatch(/^[A-Z].*[.?]$/);
        }
      },
    );
  }
});

describe("issues name the field and the rule", () => {
  const [template, path] = operationPaths.updateDocument;
  const invoice = (vendorBodies.updateDocument as { invoice: Record<string, unknown> }).invoice;
  const issuesOf = (changes: Record<string, unknown>, params: Record<string, unknown> = path) =>
    requestIssues("PUT", template, params, { invoice: { ...invoice, ...changes } });

  it.each<[string, Record<string, unknown>, ValidationIssue]>([
    ["a bad discount", { items: [{ name: "I", description: "D", unit_price: 1, quantity: 1, discount: 150 }] },
      { in: "body", path: "/invoice/items/0/discount", message: "Expected a percentage from 0 to 100, as a number or a numeric string." }],
    ["a date that does not exist", { date: "31/02/2017" },
      { in: "body", path: "/invoice/date", message: "Expected a real calendar date written dd/mm/yyyy, such as 03/12/2017." }],
    ["a missing client code", { client: { name: "Client" } },
      { in: "body", path: "/invoice/client/code", message: "Required, and missing: the client's unique code." }],
    ["a misspelt field", { referense: "PO-7" },
      { in: "body", path: "/invoice/referense", message: "Not a field the spec defines here; did you mean reference?" }],
    ["a misspelt field near a read-only one: never offered", { discont: 5 },
      { in: "body", path: "/invoice/discont", message: "Not a field the spec defines here: leave it out, or check its spelling." }],
    ["a field of a field that is read-only: never offered", { items: [{ name: "I", description: "D", unit_price: 1, quantity: 1, tax_id: 4 }] },
      { in: "body", path: "/invoice/items/0/tax_id", message: "Not a field the spec defines here: leave it out, or check its spelling." }],
    ["a field of a field, written as one", { items: [{ name: "I", description: "D", unit_price: 1, quantity: 1, tax_name: "IVA23" }] },
      { in: "body", path: "/invoice/items/0/tax_name", message: "Not a field the spec defines here; did you mean tax.name?" }],
    ["a name written with a hyphen", { "due-date": "03/12/2017" },
      { in: "body", path: "/invoice/due-date", message: "Not a field the spec defines here; did you mean due_date?" }],
    ["two letters swapped", { obsevrations: "x" },
      { in: "body", path: "/invoice/obsevrations", message: "Not a field the spec defines here; did you mean observations?" }],
    ["a name like no other", { colour: "blue" },
      { in: "body", path: "/invoice/colour", message: "Not a field the spec defines here: leave it out, or check its spelling." }],
    ["an unknown currency", { currency_code: "EURO" },
      { in: "body", path: "/invoice/currency_code", message: "Expected a three-letter currency code in capitals, such as EUR or USD." }],
    ["no items", { items: [] }, { in: "body", path: "/invoice/items", message: "Expected at least 1 item(s)." }],
    ["items that are not an array", { items: "Item" }, { in: "body", path: "/invoice/items", message: "Expected an array." }],
    ["a retention over 99.99", { retention: "100" },
      { in: "body", path: "/invoice/retention", message: "Expected a percentage from 0 to 99.99, as a number or a numeric string." }],
  ])("%s", (_name, changes, issue) => {
    expect(issuesOf(changes)).toEqual([issue]);
  });

  it("a bad document type and id are path issues", () => {
    expect(issuesOf({}, { "document-type": "receipts", "document-id": 0 })).toEqual([
      { in: "path", path: "/document-type", message: "Expected one of invoices, simplified_invoices, invoice_receipts, credit_notes or debit_notes." },
      { in: "path", path: "/document-id", message: "Expected a whole number from 1 to 9007199254740991, or a string of digits." },
    ]);
  });

  it("lists every problem, not just the first", () => {
    const issues = issuesOf({ date: "2017-12-03", due_date: undefined, retention: -1, client: { code: "A1", email: "nope" }, items: [{ name: "" }] });
    expect(issues.map((issue) => issue.path)).toEqual([
      "/invoice/due_date",
      "/invoice/date",
      "/invoice/retention",
      "/invoice/client/name",
      "/invoice/client/email",
      "/invoice/items/0/description",
      "/invoice/items/0/unit_price",
      "/invoice/items/0/quantity",
      "/invoice/items/0/name",
    ]);
  });

  it("a body under another root than invoice: the document's data is missing, and the root is named", () => {
    const [template, params] = operationPaths.updateDocument;
    expect(requestIssues("PUT", template, params, { invoice_receipt: invoice })).toEqual([
      { in: "body", path: "/invoice", message: "Required, and missing: the data of an invoice, simplified invoice, invoice receipt, credit note or debit note." },
      { in: "body", path: "/invoice_receipt", message: "Not a field the spec defines here; did you mean invoice?" },
    ]);
  });

  it("beside the root it names, another object is not offered that root", () => {
    const [template, params] = operationPaths.updateDocument;
    expect(requestIssues("PUT", template, params, { invoice, credit_note: {} })).toEqual([
      { in: "body", path: "/credit_note", message: "Not a field the spec defines here: leave it out, or check its spelling." },
    ]);
  });

  it("escapes field names in pointers", () => {
    expect(issuesOf({ "a/b~c": 1 })).toEqual([
      { in: "body", path: "/invoice/a~1b~0c", message: "Not a field the spec defines here: leave it out, or check its spelling." },
    ]);
  });
});

describe("the client refuses an invalid call unsent", () => {
  const bad = { invoice: { date: "32/01/2017", due_date: "03/12/2017", client: { name: "C", code: "A1" }, items: [] } };
  const client = (validate?: boolean) => {
    const recorder = recordingFetch(new Response(null, { status: 200 }));
    return { ix: createInvoiceXpressClient({ accountName: "acme", apiKey: "k", fetch: recorder.fetch, validate }), calls: recorder.calls };
  };

  it("updateDocument rejects with RequestValidationError listing the issues", async () => {
    const { ix, calls } = client();
    const error = await ix.updateDocument("invoices", 1, bad as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues.map((issue) => issue.path)).toEqual(["/invoice/date", "/invoice/items"]);
    expect((error as Error).message).toMatch(/^PUT \/\{document-type\}\/\{document-id\}\.json was not sent: body \/invoice\/date: Expected a real calendar date/);
    expect(calls).toHaveLength(0);
  });

  it("the raw PUT is checked too", async () => {
    const { ix, calls } = client();
    await expect(
      ix.PUT("/clients/{client-id}.json", { params: { path: { "client-id": -1 } }, body: { client: { name: "A" } } as never }),
    ).rejects.toMatchObject({
      issues: [
        { in: "path", path: "/client-id", message: "Expected a whole number from 1 to 9007199254740991, or a string of digits." },
        { in: "body", path: "/client/code", message: "Required, and missing: client code, your specific code for the client." },
      ],
    });
    expect(calls).toHaveLength(0);
  });

  it("updateClient and updatePurchaseOrder are checked", async () => {
    const { ix, calls } = client();
    await expect(ix.updateClient(1, { client: { name: "A", code: "B", language: "fr" } } as never)).rejects.toBeInstanceOf(RequestValidationError);
    await expect(ix.updatePurchaseOrder(1, { purchase_order: {} } as never)).rejects.toBeInstanceOf(RequestValidationError);
    expect(calls).toHaveLength(0);
  });

  it("validate: false sends it anyway", async () => {
    const { ix, calls } = client(false);
    await ix.updateDocument("invoices", 1, bad as never);
    expect(calls).toHaveLength(1);
  });

  it.each(Object.keys(operationPaths) as (keyof typeof operationPaths)[])("%s: a valid body goes out unchanged", async (id) => {
    const { ix, calls } = client();
    const [, path] = operationPaths[id];
    if (id === "updateDocument") await ix.updateDocument("invoices", path["document-id" as never], vendorBodies[id] as never);
    else if (id === "updateClient") await ix.updateClient(42, vendorBodies[id] as never);
    else await ix.updatePurchaseOrder(7, vendorBodies[id] as never);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toBe(JSON.stringify(vendorBodies[id]));
  });
});

describe("a listed value is checked exactly, and a near miss is told the value meant", () => {
  const [template, params] = operationPaths.updateClient;
  const countries = loadSpec().components.schemas.Country as { enum: string[] };
  const issuesOf = (client: Record<string, unknown>) => requestIssues("PUT", template, params, { client: { name: "A", code: "1", ...client } });

  it("refuses 100,000 near misses of the service's country names", () => {
    const listed = new Set(countries.enum);
    const alphabet = [...new Set(countries.enum.join(""))];
    const misses = new Set<string>();
    // Every name with one character changed, dropped, doubled or its case
    // flipped, in turn, until there are 100,000 names that are not listed.
    for (let round = 0; misses.size < 100_000; round++) {
      for (const name of countries.enum) {
        const at = round % name.length;
        const c = alphabet[(round * 7 + name.length) % alphabet.length]!;
        for (const miss of [name.slice(0, at) + c + name.slice(at + 1), name.slice(0, at) + name.slice(at + 1), name.slice(0, at) + c + name.slice(at), name.toLowerCase(), name.toUpperCase()])
          if (!listed.has(miss)) misses.add(miss);
      }
    }
    let passed = 0;
    for (const miss of misses) if (issuesOf({ country: miss }).length === 0) passed++;
    expect(passed).toBe(0);
  });

  it.each([
    ["country", "Portugall", "Portugal"],
    ["country", "united states", "United States"],
    ["language", "EN", "en"],
  ])("%s %s: did you mean %s?", (field, given, meant) => {
    const [issue] = issuesOf({ [field]: given });
    expect(issue!.path).toBe(`/client/${field}`);
    expect(issue!.message).toMatch(new RegExp(`^Expected .*\\. Did you mean ${meant}\\?$`));
  });

  it("no suggestion when nothing is close", () => {
    expect(issuesOf({ country: "Atlantis" })[0]!.message).not.toMatch(/Did you mean/);
  });
});

describe("a refusal never shows the API key", () => {
  it("not as a field's name, nor anywhere in a sentence", async () => {
    const apiKey = "some-key-123456";
    const { fetch, calls } = recordingFetch();
    const ix = createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey, fetch, rateLimit: false });
    const refused = await ix.updateClient(42, { client: { name: "A", code: "1", [apiKey]: 1 } } as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RequestValidationError);
    expect(JSON.stringify((refused as RequestValidationError).issues)).not.toContain(apiKey);
    expect((refused as Error).message).not.toContain(apiKey);
    expect((refused as RequestValidationError).issues).toEqual([{ in: "body", path: "/client/***", message: expect.stringMatching(/^Not a field/) }]);
    expect(calls).toHaveLength(0);
  });
});
