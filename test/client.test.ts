// The client with an injected fetch: URLs, the key, bodies, errors, retries.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import {
  createInvoiceXpressClient,
  InvoiceXpressError,
  type DocumentUpdateBody,
  type InvoiceXpressOptions,
} from "../src/index.js";
import { expectNoKey } from "./support/no-key.js";
import { json, recordingFetch } from "./support/recording-fetch.js";

const apiKey = "s3cr3t key/+&='";
// As the URL parser writes it in a query: encodeURIComponent leaves "'", the parser escapes it.
const encodedKey = encodeURIComponent(apiKey).replace(/'/g, "%27");
const expectNoKeyIn = (error: unknown) => expectNoKey(error, apiKey);
const documentBody: DocumentUpdateBody = {
  invoice: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: 5 }],
  },
};

/** The account "acme" with two retries, unless `options` says otherwise, over a recording fetch. */
function clientOf(options: Partial<InvoiceXpressOptions>, ...answers: Parameters<typeof recordingFetch>) {
  const recorder = recordingFetch(...answers);
  const ix = createInvoiceXpressClient({ accountName: "acme", apiKey, fetch: recorder.fetch, maxRetries: 2, ...options });
  return { ix, calls: recorder.calls };
}
const clientWith = (...answers: Parameters<typeof recordingFetch>) => clientOf({}, ...answers);

describe("requests", () => {
  it("updateClient sends the body as JSON to the account's URL with the key in the query", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    await expect(ix.updateClient(42, { client: { name: "Acme", code: "A1" } })).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe("PUT");
    expect(calls[0]!.url).toBe(`https://acme.app.invoicexpress.com/clients/42.json?api_key=${encodedKey}`);
    expect(calls[0]!.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(calls[0]!.body!)).toEqual({ client: { name: "Acme", code: "A1" } });
  });

  it("hands the platform's fetch a URL and a plain init, never a Request to copy", async () => {
    const seen: unknown[][] = [];
    const ix = createInvoiceXpressClient({
      accountName: "acme",
      apiKey,
      fetch: async (...args) => {
        seen.push(args);
        return new Response(null, { status: 200 });
      },
    });
    await ix.updateDocument("invoices", 1, documentBody);
    const [input, init] = seen[0]!;
    expect(typeof input).toBe("string");
    expect(init).not.toBeInstanceOf(Request);
    expect(init).toMatchObject({ method: "PUT", body: JSON.stringify(documentBody) });
  });

  it("updatePurchaseOrder and updateDocument build their paths", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    await ix.updatePurchaseOrder(7, {
      purchase_order: {
        date: "03/12/2017",
        due_date: "03/12/2017",
        loaded_at: "03/12/2017",
        client: { name: "Supplier" },
        items: documentBody.invoice.items,
      },
    });
    await ix.updateDocument("credit_notes", 9, documentBody);
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(["/purchase_orders/7.json", "/credit_notes/9.json"]);
    expect(JSON.parse(calls[1]!.body!)).toEqual(documentBody);
  });

  it("the raw PUT carries the key too, and returns openapi-fetch's result", async () => {
    const { ix, calls } = clientWith(json(422, { errors: ["Name can't be blank"] }));
    const { error, response } = await ix.PUT("/clients/{client-id}.json", {
      params: { path: { "client-id": 42 } },
      body: { client: { name: "Acme", code: "A1" } },
    });
    expect(response.status).toBe(422);
    expect(error).toEqual({ errors: ["Name can't be blank"] });
    expect(new URL(calls[0]!.url).searchParams.get("api_key")).toBe(apiKey);
  });

  it("passes per-call headers", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    await ix.updateClient(1, { client: { name: "A", code: "B" } }, { headers: { "x-trace": "t1" } });
    expect(calls[0]!.headers.get("x-trace")).toBe("t1");
  });

  it("a caller's signal aborts the request in flight, with the caller's reason", async () => {
    const controller = new AbortController();
    const { ix, calls } = clientWith(
      (call) =>
        new Promise<Response>((_, reject) => {
          call.signal!.addEventListener("abort", () => reject(call.signal!.reason));
          setTimeout(() => controller.abort(new Error("caller gave up")), 10);
        }),
    );
    await expect(
      ix.updateClient(1, { client: { name: "A", code: "B" } }, { signal: controller.signal }),
    ).rejects.toThrow("caller gave up");
    expect(calls).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    const reason = new Error("too late");
    await expect(ix.updateClient(1, { client: { name: "A", code: "B" } }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it.each(["baseUrl", "fetch", "Request"])(
    "a call cannot swap %s, which guards the key",
    async (option) => {
      const { ix, calls } = clientWith(new Response(null, { status: 200 }));
      const init = { params: { path: { "client-id": 1 } }, body: { client: { name: "A", code: "B" } }, [option]: "http://evil.test" };
      await expect(ix.PUT("/clients/{client-id}.json", init as never)).rejects.toThrow(`${option} cannot be set per call`);
      await expect(ix.request("put", "/clients/{client-id}.json", init as never)).rejects.toThrow(TypeError);
      expect(calls).toHaveLength(0);
    },
  );

  it("middleware sees the request's URL and can set headers", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    const seen: string[] = [];
    ix.use({
      onRequest({ request }) {
        seen.push(new URL(request.url).pathname);
        request.headers.set("x-middleware", "1");
      },
    });
    await ix.updateClient(7, { client: { name: "A", code: "B" } });
    expect(seen).toEqual(["/clients/7.json"]);
    expect(calls[0]!.headers.get("x-middleware")).toBe("1");
  });

  it("openapi-fetch's generic request() is checked like PUT", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 200 }));
    const init = { params: { path: { "client-id": 1 } }, body: { client: { name: "A" } } };
    await expect(ix.request("put", "/clients/{client-id}.json", init as never)).rejects.toMatchObject({ name: "RequestValidationError" });
    expect(calls).toHaveLength(0);
  });

  it("an accountName with capitals names the same host: calls are checked and go out, lower-cased", async () => {
    const { ix, calls } = clientOf({ accountName: "AcMe" }, json(200, { client: { id: 42, name: "Acme", code: "A1" } }), new Response(null, { status: 200 }), json(200, { client: {} }));
    await expect(ix.editClient(42, (body) => void (body.client.phone = "1"))).resolves.toMatchObject({ client: { phone: "1" } });
    expect(calls.map((call) => new URL(call.url).host)).toEqual(["acme.app.invoicexpress.com", "acme.app.invoicexpress.com"]);
    const { error } = await ix.GET("/clients/{client-id}.json", { params: { path: { "client-id": 42 } } });
    expect(error).toBeUndefined();
  });

  it("baseUrl replaces the account URL, keeping its path", async () => {
    const { ix, calls } = clientOf({ accountName: undefined, baseUrl: "http://127.0.0.1:4010/proxy/" }, new Response(null, { status: 200 }));
    await ix.updateClient(5, { client: { name: "A", code: "B" } });
    expect(calls[0]!.url).toBe(`http://127.0.0.1:4010/proxy/clients/5.json?api_key=${encodedKey}`);
  });

  it.each([
    ["an empty 200", new Response(null, { status: 200 }), undefined],
    ["an empty 204", new Response(null, { status: 204 }), undefined],
    // The spec documents no body for a 200: one the service sends anyway is not passed on as if it were typed.
    ["a JSON 200", json(200, { credit_note: { id: 9 } }), undefined],
  ])("resolves on %s", async (_name, answer, expected) => {
    const { ix } = clientWith(answer);
    await expect(ix.updateDocument("credit_notes", 9, documentBody)).resolves.toEqual(expected);
  });
});

describe("errors", () => {
  // As the source runs, and as an app's minifying bundler ships it (class names mangled).
  it.each([false, true])("an uncaught InvoiceXpressError prints under its own name, as error.name says (minified: %s)", async (minify) => {
    const dir = mkdtempSync(join(tmpdir(), "ix-uncaught-"));
    try {
      const thrower = join(dir, "thrower.mjs");
      await build({
        stdin: {
          contents: `import { InvoiceXpressError } from "./src/errors.ts";
            setTimeout(() => {
              throw new InvoiceXpressError({ code: "not_found", status: 404, messages: ["Gone"], method: "GET", url: "https://acme.app.invoicexpress.com/clients/1.json" });
            });`,
          resolveDir: process.cwd(),
        },
        bundle: true,
        minify,
        format: "esm",
        outfile: thrower,
      });
      const run = spawnSync(process.execPath, [thrower], { encoding: "utf8" });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/^InvoiceXpressError: GET https:\/\/acme\.app\.invoicexpress\.com\/clients\/1\.json failed \(404\): Gone\.$/m);
      expect(run.stderr).not.toMatch(/\w+ \[InvoiceXpressError\]|InvoiceXpressErrorClass/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("errorOf turns a raw call's result into the error a helper throws, the key masked", async () => {
    const answer = json(422, { errors: [{ error: `Name can't be blank for ${apiKey}` }] });
    const { ix } = clientWith(answer, answer);
    const raw = await ix.PUT("/clients/{client-id}.json", { params: { path: { "client-id": 42 } }, body: { client: { name: "A", code: "B" } } });
    const fromRaw = ix.errorOf(raw);
    const fromHelper = await ix.updateClient(42, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect(fromRaw).toBeInstanceOf(InvoiceXpressError);
    expect(fromRaw).toMatchObject({ code: "unprocessable", status: 422, messages: ["Name can't be blank for ***"] });
    expect(fromRaw!.messages).toEqual((fromHelper as InvoiceXpressError).messages);
    expect(fromRaw!.url).toBe("https://acme.app.invoicexpress.com/clients/42.json?api_key=***");
    expect(fromRaw!.message).toBe((fromHelper as InvoiceXpressError).message);
    expectNoKeyIn(fromRaw);
    expect(ix.errorOf({ response: new Response(null, { status: 200 }) })).toBeUndefined();
  });

  it("joins several messages into one sentence each, with no stray full stops", async () => {
    const { ix } = clientWith(json(422, { errors: ["Date is invalid.", "Name can't be blank"] }));
    const error = await ix.updateClient(1, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/: Date is invalid; Name can't be blank\.$/);
    const refused = await ix
      .updateDocument("invoices", 1, { invoice: { ...documentBody.invoice, date: "31/02/2017", items: [{ ...documentBody.invoice.items[0]!, discount: 150 }] } })
      .catch((e: unknown) => e);
    expect((refused as Error).message).not.toContain(".;");
    expect((refused as Error).message).toMatch(/such as 03\/12\/2017; body \/invoice\/items\/0\/discount: Expected a percentage from 0 to 100, .*string\.$/);
  });

  it.each([
    [401, { errors: { error: "Elemento client não fornecido" } }, ["Elemento client não fornecido"], "unauthorized"],
    [404, { errors: [{ error: "Not found" }, { error: "Really" }] }, ["Not found", "Really"], "not_found"],
    [422, { errors: ["Name can't be blank", "Code can't be blank"] }, ["Name can't be blank", "Code can't be blank"], "unprocessable"],
    [422, { error: { code: "settled", message: "Invoice has been settled so can't be changed anymore" } }, ["Invoice has been settled so can't be changed anymore"], "unprocessable"],
    [400, { message: "Bad request" }, ["Bad request"], "http"],
    [422, "", ["The service answered HTTP 422 without a message."], "unprocessable"],
    [401, "", ["The service answered HTTP 401 without a message."], "unauthorized"],
    [500, "<html><body>Oops</body></html>", ["The service answered HTTP 500 without a message."], "http"],
  ] as const)("%i with %j gives %j", async (status, body, messages, code) => {
    const answer = typeof body === "string" ? new Response(body || null, { status }) : json(status, body);
    const { ix, calls } = clientWith(answer);
    const error = await ix.updateClient(42, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status, messages, code, method: "PUT" });
    expect((error as InvoiceXpressError).url).toBe("https://acme.app.invoicexpress.com/clients/42.json?api_key=***");
    expect(calls).toHaveLength(1);
    expectNoKeyIn(error);
  });

  it("the body's messages are the messages: a violations header does not replace them", async () => {
    const violations = [{ location: ["request", "body", "client"], message: "Request body property client must have required property 'code'" }];
    const { ix } = clientWith(json(422, { errors: [{ error: "body /client/code: Required, and missing." }] }, { "sl-violations": JSON.stringify(violations) }));
    const error = await ix.updateClient(1, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect((error as InvoiceXpressError).messages).toEqual(["body /client/code: Required, and missing."]);
  });

  it("an unreadable violations header leaves the body's messages", async () => {
    const { ix } = clientWith(json(422, { errors: ["Name can't be blank"] }, { "sl-violations": "not json" }));
    const error = await ix.updateClient(1, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect((error as InvoiceXpressError).messages).toEqual(["Name can't be blank"]);
  });

  it("a short plain-text body is the message", async () => {
    const { ix: once } = clientOf({ maxRetries: 0 }, new Response("Service down for maintenance", { status: 503 }));
    await expect(once.updateClient(1, { client: { name: "A", code: "B" } })).rejects.toMatchObject({
      messages: ["Service down for maintenance"],
    });
  });

  it("a message that echoes the key is masked", async () => {
    const { ix } = clientWith(json(401, { message: `Unknown key ${apiKey}` }));
    const error = await ix.updateClient(1, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect((error as InvoiceXpressError).messages).toEqual(["Unknown key ***"]);
    expectNoKeyIn(error);
  });

  it("a network failure whose message holds the URL is masked", async () => {
    const failure = new TypeError(`fetch failed for https://acme.app.invoicexpress.com/clients/1.json?api_key=${encodedKey}`, {
      cause: new Error(`connect ECONNREFUSED, key ${apiKey}`),
    });
    const { ix } = clientOf({ maxRetries: 0 }, failure);
    const error = await ix.updateClient(1, { client: { name: "A", code: "B" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "network", status: undefined });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expectNoKeyIn(error);
  });
});

describe("retries", () => {
  it.each([429, 502, 503, 504])("retries %i and resolves when the service recovers", async (status) => {
    // (A 429 pauses the client for its Retry-After; 0 would mean a whole window.)
    const { ix, calls } = clientWith(new Response(null, { status, headers: { "retry-after": "1" } }), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toBe(calls[0]!.body);
  });

  it.each([400, 401, 403, 404, 409, 422, 500])("never retries %i", async (status) => {
    const { ix, calls } = clientWith(new Response(null, { status }), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).rejects.toMatchObject({ status });
    expect(calls).toHaveLength(1);
  });

  it("gives up after maxRetries and reports the last status", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 503, headers: { "retry-after": "0" } }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).rejects.toMatchObject({ status: 503, code: "http" });
    expect(calls).toHaveLength(3);
  });

  it("retries a network failure", async () => {
    const { ix, calls } = clientWith(new TypeError("fetch failed"), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it("does not wait out a Retry-After date more than a minute away", async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const { ix, calls } = clientWith(new Response(null, { status: 429, headers: { "retry-after": later } }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).rejects.toMatchObject({ code: "rate_limited" });
    expect(calls).toHaveLength(1);
  });

  it.each(["1.5", "-1", "soon"])("a Retry-After of %j is neither seconds nor a date: it backs off and retries", async (header) => {
    const { ix, calls } = clientOf({ rateLimit: false },new Response(null, { status: 429, headers: { "retry-after": header } }), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it("does not wait out a Retry-After longer than a minute", async () => {
    const { ix, calls } = clientWith(new Response(null, { status: 429, headers: { "retry-after": "3600" } }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).rejects.toMatchObject({ code: "rate_limited", status: 429 });
    expect(calls).toHaveLength(1);
  });

  // The wait asked for is 30 s, three times the test's own limit: only the abort can end it in time.
  it("a caller's abort ends the wait between attempts", { timeout: 10_000 }, async () => {
    const controller = new AbortController();
    const { ix, calls } = clientWith(() => {
      setTimeout(() => controller.abort(new Error("caller gave up")), 20);
      return new Response(null, { status: 429, headers: { "retry-after": "30" } });
    });
    await expect(ix.updateDocument("invoices", 1, documentBody, { signal: controller.signal })).rejects.toThrow("caller gave up");
    expect(calls).toHaveLength(1);
  });
});

describe("createInvoiceXpressClient refuses bad options", () => {
  it.each([
    [{ accountName: "acme", apiKey: "" }, /apiKey must be a non-empty string/],
    [{ accountName: "acme", apiKey: "   " }, /apiKey must be a non-empty string/],
    [{ accountName: "acme.evil.com", apiKey }, /accountName must be your account's name alone, such as acme for acme\.app\.invoicexpress\.com; got "acme\.evil\.com"\./],
    [{ accountName: "acme.app.invoicexpress.com", apiKey }, /such as acme for acme\.app\.invoicexpress\.com; got "acme\.app\.invoicexpress\.com"/],
    [{ accountName: "-acme", apiKey }, /accountName must be your account's name alone/],
    [{ accountName: "a".repeat(64), apiKey }, /accountName must be your account's name alone/],
    [{ accountName: `acme/${apiKey}`, apiKey }, /accountName must be your account's name alone/],
    [{ accountName: "acme.app", apiKey }, /alone, such as acme for acme\.app\.invoicexpress\.com; got "acme\.app"\./],
    [{ apiKey }, /either accountName or baseUrl/],
    [{ accountName: "acme", baseUrl: "https://example.test", apiKey }, /either accountName or baseUrl/],
    [{ baseUrl: "http://example.test", apiKey }, /travel in clear/],
    [{ baseUrl: "http://10.0.0.1:4010", apiKey }, /travel in clear/],
    [{ baseUrl: "ftp://127.0.0.1", apiKey }, /https: URL/],
    [{ baseUrl: "not a url", apiKey }, /absolute URL/],
    [{ baseUrl: `https://example.test/?api_key=${apiKey}`, apiKey }, /no user name, password, query or fragment/],
    [{ accountName: "acme", apiKey, timeoutMs: 0 }, /timeoutMs/],
    [{ accountName: "acme", apiKey, timeoutMs: 3e9 }, /timeoutMs must be from 1 to 2147483647 ms/],
    [{ accountName: "acme", apiKey, maxRetries: -1 }, /maxRetries/],
  ])("%j", (options, message) => {
    let thrown: unknown;
    try {
      createInvoiceXpressClient(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain("s3cr3t");
  });

  it.each([
    ["a pasted URL, the key percent-escaped", `https://acme.app.invoicexpress.com/clients.json?api_key=${encodeURIComponent(apiKey).toLowerCase()}`, "s3cr3t"],
    ["a pasted URL with an old key", "https://acme.app.invoicexpress.com/?api_key=OLDSECRET0123", "OLDSECRET0123"],
    ["a URL with a password", "https://admin:hunter2@acme.app.invoicexpress.com", "hunter2"],
  ])("an accountName that is %s is refused without echoing the credential", (_name, accountName, credential) => {
    expect(() => createInvoiceXpressClient({ accountName, apiKey })).toThrow(/accountName must be your account's name alone/);
    expect(() => createInvoiceXpressClient({ accountName, apiKey })).not.toThrow(credential);
  });

  it.each([["fetch", 42], ["fetch", "fetch"], ["onWait", {}]])("%s: %j is refused at construction", (option, value) => {
    expect(() => createInvoiceXpressClient({ accountName: "acme", apiKey, [option]: value })).toThrow(new TypeError(`createInvoiceXpressClient: ${option} must be a function.`));
  });

  it.each(["http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010", "https://proxy.example.test/ix"])(
    "accepts %s",
    (baseUrl) => {
      expect(() => createInvoiceXpressClient({ baseUrl, apiKey })).not.toThrow();
    },
  );
});

describe("logger", () => {
  it("logs each attempt and each wait, the key masked", async () => {
    const lines: string[] = [];
    const { ix } = clientOf({ logger: { debug: (line) => lines.push(line) }, maxRetries: 1 }, new Response(null, { status: 503, headers: { "retry-after": "1" } }), new Response(null, { status: 200 }));
    await ix.updateDocument("invoices", 1, documentBody);
    expect(lines).toEqual([
      expect.stringMatching(/^invoicexpress-openapi: PUT https:\/\/acme\.app\.invoicexpress\.com\/invoices\/1\.json\?api_key=\*\*\* → 503 in \d+ ms \(attempt 1\)$/),
      expect.stringMatching(/^invoicexpress-openapi: PUT \S+\?api_key=\*\*\* waits 1000 ms before attempt 2 \(retry after 503\)$/),
      expect.stringMatching(/^invoicexpress-openapi: PUT \S+\?api_key=\*\*\* → 200 in \d+ ms \(attempt 2\)$/),
    ]);
    for (const line of lines) expect(line).not.toContain(encodedKey);
  });

  it("a timeout and a network failure are logged as such", async () => {
    const lines: string[] = [];
    const { ix } = clientOf({ logger: { debug: (line) => lines.push(line) }, maxRetries: 0 }, new TypeError("fetch failed"));
    await expect(ix.getClient(1)).rejects.toMatchObject({ code: "network" });
    expect(lines).toEqual([expect.stringMatching(/^invoicexpress-openapi: GET \S+\/clients\/1\.json\?api_key=\*\*\* → network failure in \d+ ms \(attempt 1\)$/)]);
  });

  // An observer: whatever its debug does, the call does what it would have done without it.
  it.each([
    ["throws", () => {
      throw new Error("log sink down");
    }],
    ["returns a rejected promise", () => Promise.reject(new Error("log sink down"))],
  ])("a logger whose debug %s changes nothing: a 503 is retried, the applied update resolves", async (_what, debug) => {
    const { ix, calls } = clientOf({ logger: { debug: debug as never }, maxRetries: 1 }, new Response(null, { status: 503, headers: { "retry-after": "1" } }), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
    const failed = clientOf({ logger: { debug: debug as never }, maxRetries: 0 }, new TypeError("fetch failed"));
    await expect(failed.ix.getClient(1)).rejects.toMatchObject({ code: "network" });
  });

  it.each([
    ["throws", () => {
      throw new Error("dashboard down");
    }],
    ["returns a rejected promise", () => Promise.reject(new Error("dashboard down"))],
  ])("an onWait that %s changes nothing: the 503 is retried and the applied update resolves", async (_what, onWait) => {
    const { ix, calls } = clientOf({ onWait: onWait as never, maxRetries: 1 }, new Response(null, { status: 503, headers: { "retry-after": "1" } }), new Response(null, { status: 200 }));
    await expect(ix.updateDocument("invoices", 1, documentBody)).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it("must have a debug method", () => {
    expect(() => createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey, logger: {} as never })).toThrow(/logger must have a debug method/);
  });
});
