// Attacks on the README's promises, against real servers on 127.0.0.1: the
// key never reaches another origin or an error, and what is checked is what
// is sent. `home` plays the service; `elsewhere` is any other origin, and
// must never receive a request.
import { execFile } from "node:child_process";
import { getEventListeners } from "node:events";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ProxyAgent } from "undici";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInvoiceXpressClient, InvoiceXpressError, RequestValidationError, type InvoiceXpressOptions } from "../src/index.js";
import { fetchTrusting, loopbackCertificate, startRecordingServer, type Answer, type RecordingServer } from "./support/loopback.js";
import { expectNoKey, keySpellings } from "./support/no-key.js";

// A key with every character class that is encoded differently by
// encodeURIComponent, the URL parser and URLSearchParams.
const apiKey = "k'ey s3cr3t/+&=(é)~*!";
const clientBody = { client: { name: "Client Name", code: "A1" } };

let answer: Answer;
let home: RecordingServer;
let elsewhere: RecordingServer;
beforeAll(async () => {
  home = await startRecordingServer((request, res) => answer(request, res));
  elsewhere = await startRecordingServer();
});
beforeEach(() => {
  answer = (_request, res) => res.writeHead(200).end();
  home.received.length = 0;
  elsewhere.received.length = 0;
});
afterEach(() => expect(elsewhere.received).toEqual([]));
afterAll(async () => {
  await home.close();
  await elsewhere.close();
});

const clientOf = (options: Partial<InvoiceXpressOptions> = {}) =>
  createInvoiceXpressClient({ baseUrl: home.url, apiKey, maxRetries: 0, ...options } as InvoiceXpressOptions);
const settle = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => error);

describe("1. redirects are not followed: the key stays with its origin", () => {
  const redirectTo = (status: number, target: () => string): Answer => (request, res) =>
    res.writeHead(status, { location: `${target()}${request.url}` }).end();

  it.each([301, 302, 303, 307, 308])("%i to another origin, with the query kept, reaches nobody", async (status) => {
    answer = redirectTo(status, () => elsewhere.url);
    const error = await settle(clientOf().updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ code: "http", status, messages: [expect.stringMatching(/redirect/i)] });
    expect(home.received).toHaveLength(1);
    expectNoKey(error, apiKey);
  });

  it("a redirect to the same origin is not followed either", async () => {
    answer = redirectTo(307, () => home.url);
    await expect(clientOf({ maxRetries: 2 }).updateClient(1, clientBody)).rejects.toMatchObject({ status: 307 });
    expect(home.received).toHaveLength(1);
  });

  it("the raw PUT, even asking for redirect: 'follow', gets the 3xx itself", async () => {
    answer = redirectTo(308, () => elsewhere.url);
    const { response } = await clientOf().PUT("/clients/{client-id}.json", {
      params: { path: { "client-id": 1 } },
      body: clientBody,
      redirect: "follow",
    });
    expect(response.status).toBe(308);
  });

  it("from https: down to plain http: on another port, nothing is sent in clear", async () => {
    const tls = loopbackCertificate();
    const secure = await startRecordingServer(redirectTo(301, () => elsewhere.url), tls);
    try {
      const ix = clientOf({ baseUrl: secure.url, fetch: fetchTrusting(tls) });
      await expect(ix.updateClient(1, clientBody)).rejects.toMatchObject({ code: "http", status: 301 });
      expect(secure.received).toHaveLength(1);
      expect(new URL(secure.received[0]!.url, secure.url).searchParams.get("api_key")).toBe(apiKey);
    } finally {
      await secure.close();
    }
  });
});

describe("2. no option a caller passes sends a request anywhere but the client's own base URL", () => {
  const call = (init: Record<string, unknown>) => ({ params: { path: { "client-id": 1 } }, body: clientBody, ...init }) as never;
  // Appended to a base URL without a path, "@host" turns the account's host
  // into a user name and sends the request to `host`.
  const toElsewhere = () => `@${new URL(elsewhere.url).host}/steal`;

  it.each([
    ["pathSerializer", () => toElsewhere],
    ["querySerializer", () => () => `x=1#@${new URL(elsewhere.url).host}`],
    ["bodySerializer", () => () => "{}"],
  ])("a per-call %s is refused and nothing is sent", async (option, value) => {
    const error = await settle(clientOf().PUT("/clients/{client-id}.json", call({ [option]: value() })));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(option);
    expect(home.received).toEqual([]);
  });

  it.each(["fetch", "pathSerializer", "bodySerializer"])(
    "a per-call %s that reads as absent once and as something else after is never used",
    async (option) => {
      let reads = 0;
      const evil = () => {
        throw new Error(`the per-call ${option} was used`);
      };
      const init = call({});
      Object.defineProperty(init, option, { enumerable: true, get: () => (reads++ === 0 ? undefined : evil) });
      const { response } = await clientOf().PUT("/clients/{client-id}.json", init);
      expect(response.status).toBe(200);
      expect(home.received.map((request) => request.body)).toEqual([JSON.stringify(clientBody)]);
    },
  );

  const rewrites: [string, (url: string) => string][] = [
    ["another origin", () => `${elsewhere.url}/clients/1.json`],
    ["another origin, the key kept", (url) => `${elsewhere.url}${new URL(url).pathname}${new URL(url).search}`],
    ["userinfo that names another host", (url) => url.replace("http://", `http://${new URL(elsewhere.url).host}@`)],
    ["the same origin, outside the base path", (url) => url.replace("/api/clients/", "/elsewhere/clients/")],
    ["the same origin, climbing out with ..", (url) => url.replace("/api/clients/", "/api/../clients/")],
  ];

  it.each(rewrites)("a per-call middleware that rewrites the URL to %s sends nothing", async (_name, rewrite) => {
    const ix = clientOf({ baseUrl: `${home.url}/api` });
    const middleware = [{ onRequest: ({ request }: { request: { url: string } }) => void (request.url = rewrite(request.url)) }];
    const error = await settle(ix.PUT("/clients/{client-id}.json", call({ middleware })));
    expect(error).toBeInstanceOf(TypeError);
    expect(home.received).toEqual([]);
    expectNoKey(error, apiKey);
  });

  it.each(rewrites)("a middleware added with use() that rewrites the URL to %s sends nothing, from any helper", async (_name, rewrite) => {
    const ix = clientOf({ baseUrl: `${home.url}/api` });
    ix.use({ onRequest: ({ request }) => void Object.assign(request, { url: rewrite(request.url) }) });
    const error = await settle(ix.updateClient(1, clientBody));
    expect(error).toBeInstanceOf(TypeError);
    expect(home.received).toEqual([]);
    expectNoKey(error, apiKey);
  });

  it.each([
    ["a new Request", (url: string, init: RequestInit) => new Request(url, init)],
    ["a new request of the client's own kind", (url: string, init: RequestInit, request: object) =>
      new (request.constructor as new (url: string, init: RequestInit) => Request)(url, init)],
  ])("a middleware that returns %s for another origin sends nothing", async (_name, replace) => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => replace(`${elsewhere.url}${new URL(request.url).search}`, { method: "PUT", body: "{}" }, request) });
    await expect(ix.updateClient(1, clientBody)).rejects.toThrow();
    expect(home.received).toEqual([]);
  });

  it.each([
    ["a getter that answers the home URL once, then another", (url: string) => {
      let reads = 0;
      return { get: () => (reads++ === 0 ? url : `${elsewhere.url}/clients/1.json${new URL(url).search}`) };
    }],
    ["an object whose toString answers the home URL once, then another", (url: string) => {
      let reads = 0;
      return { value: { toString: () => (reads++ === 0 ? url : `${elsewhere.url}/clients/1.json${new URL(url).search}`) } };
    }],
  ])("a middleware that makes request.url %s sends only to the URL that was checked", async (_name, descriptor) => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => void Object.defineProperty(request, "url", { configurable: true, ...descriptor(request.url) }) });
    await expect(ix.updateClient(1, clientBody)).resolves.toBeUndefined();
    expect(home.received).toHaveLength(1);
  });

  it("a dispatcher that would proxy the request elsewhere is not passed on: per call, to a helper or in middleware", async () => {
    const proxy = new ProxyAgent(elsewhere.url);
    try {
      const ix = clientOf();
      await ix.updateClient(1, clientBody, { dispatcher: proxy } as never);
      await ix.PUT("/clients/{client-id}.json", call({ dispatcher: proxy }));
      ix.use({ onRequest: ({ request }) => void Object.assign(request, { dispatcher: proxy }) });
      await ix.updateClient(1, clientBody);
      expect(home.received).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it("a middleware that changes the body after the check sends nothing", async () => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => void Object.assign(request, { body: '{"client":{}}' }) });
    await expect(ix.updateClient(1, clientBody)).rejects.toThrow(/as checked/);
    expect(home.received).toEqual([]);
  });

  it.each(["DELETE", "POST", "PATCH", "GET"])("a middleware that turns the update into a %s sends nothing", async (method) => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => void Object.assign(request, { method }) });
    await expect(ix.updateClient(1, clientBody)).rejects.toThrow(/only an operation of the spec .*as checked/);
    expect(home.received).toEqual([]);
  });

  it.each(["PUT", "DELETE", "POST"])("a middleware that turns a read into a %s sends nothing", async (method) => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => void Object.assign(request, { method }) });
    await expect(ix.getClient(1)).rejects.toThrow(/only an operation of the spec .*as checked/);
    expect(home.received).toEqual([]);
  });

  it("unchecked (validate: false), only the spec's methods go out", async () => {
    const ix = clientOf({ validate: false });
    await expect(ix.request("DELETE" as never, "/clients/{client-id}.json" as never, { params: { path: { "client-id": 1 } } } as never)).rejects.toThrow(
      /only an operation of the spec \(GET, PUT or POST\)/,
    );
    expect(home.received).toEqual([]);
  });

  it.each([
    ["another document of the same operation", (url: string) => url.replace("/clients/1.json", "/clients/9.json")],
    ["a path the spec does not describe", (url: string) => url.replace("/clients/1.json", "/clients/1/destroy")],
  ])("a middleware that moves a checked call to %s sends nothing", async (_name, move) => {
    const ix = clientOf();
    ix.use({ onRequest: ({ request }) => void Object.assign(request, { url: move(request.url) }) });
    await expect(ix.updateClient(1, clientBody)).rejects.toThrow(/as checked/);
    expect(home.received).toEqual([]);
  });

  it.each(["POST", "PATCH", "DELETE"] as const)("with validate: false, a raw %s is refused, not sent and not retried", async (method) => {
    answer = (_request, res) => res.writeHead(503).end();
    const ix = clientOf({ validate: false, maxRetries: 2 });
    const send = ix[method] as (path: string, init: unknown) => Promise<unknown>;
    const error = await settle(send("/clients/{client-id}.json", call({})));
    expect(error).toBeInstanceOf(TypeError);
    expect(home.received).toEqual([]);
  });

  it("a middleware that only sets a header still works", async () => {
    const ix = clientOf({ baseUrl: `${home.url}/api` });
    ix.use({ onRequest: ({ request }) => void request.headers.set("x-trace", "t1") });
    await expect(ix.updateClient(1, clientBody)).resolves.toBeUndefined();
    expect(home.received[0]).toMatchObject({ url: expect.stringMatching(/^\/api\/clients\/1\.json\?/), headers: { "x-trace": "t1" } });
  });
});

describe("3. baseUrl forms that cannot work are refused at construction", () => {
  const refusal = (baseUrl: string) => {
    try {
      createInvoiceXpressClient({ baseUrl, apiKey });
    } catch (error) {
      return error as Error;
    }
    return expect.fail(`accepted ${baseUrl}`);
  };

  it.each(["http://127.0.0.1:4010/api?", "http://127.0.0.1:4010/api#", "http://127.0.0.1:4010/?#", "https://proxy.example.test/ix?"])(
    "%s, with a bare ? or #",
    (baseUrl) => expect(refusal(baseUrl)).toMatchObject({ name: "TypeError", message: expect.stringMatching(/no user name, password, query or fragment/) }),
  );

  it.each(["http://alice:hunter2@127.0.0.1:4010", "https://alice:hunter2@proxy.example.test", "https://hunter2@proxy.example.test"])(
    "%s, with credentials, without echoing them",
    (baseUrl) => {
      const error = refusal(baseUrl);
      expect(error).toMatchObject({ name: "TypeError", message: expect.stringMatching(/no user name, password, query or fragment/) });
      expect(error.message).not.toMatch(/alice|hunter2/);
    },
  );
});

describe("4. what is validated is exactly the JSON that is sent", () => {
  class ClientWithGetter {
    get client() {
      return { name: "Client Name", code: "A1" };
    }
  }
  class RewritingBody {
    client = { name: "Client Name", code: "A1" };
    toJSON() {
      return { client: {} };
    }
  }
  let reads = 0;
  const shifty = {
    client: {
      name: "Client Name",
      get code() {
        return reads++ === 0 ? "A1" : undefined;
      },
    },
  };

  it.each([
    ["a class whose fields are getters", () => new ClientWithGetter(), "/client"],
    ["fields inherited from a prototype", () => Object.create(clientBody) as object, "/client"],
    ["a Date where an object belongs", () => ({ client: { ...clientBody.client, preferred_contact: new Date(0) } }), "/client/preferred_contact"],
    ["a Date where a date string belongs", () => ({ invoice: { date: new Date(0) } }), "/invoice/date"],
    ["a toJSON() that rewrites the body", () => new RewritingBody(), "/client/name"],
  ])("%s is refused for what it would send, and nothing is sent", async (_name, body, pointer) => {
    const ix = clientOf();
    const path = pointer.startsWith("/invoice") ? "/invoices/1.json" : "/clients/1.json";
    const call =
      path === "/clients/1.json" ? ix.updateClient(1, body() as never) : ix.updateDocument("invoices", 1, body() as never);
    const error = await settle(call);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toContainEqual(expect.objectContaining({ in: "body", path: pointer }));
    expect(home.received).toEqual([]);
  });

  it.each([
    ["PUT", "/invoices/1.json"],
    ["PUT", "/invoices/{document-id}.json"],
    ["PUT", "/./{document-type}/{document-id}.json"],
    ["POST", "/{document-type}/{document-id}.json"],
    ["PATCH", "/clients/{client-id}.json"],
  ])("a raw %s to %s, which is not an operation of the spec, is refused unsent", async (method, path) => {
    const params = { path: { "document-type": "invoices", "document-id": 1, "client-id": 1 } };
    const error = await settle(clientOf().request(method as never, path as never, { params, body: { invoice: { date: "31/02/2017" } } } as never));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toEqual([expect.objectContaining({ message: expect.stringMatching(/Not an operation of the spec/) })]);
    expect(home.received).toEqual([]);
  });

  it("a body that cannot be written as JSON is refused, unsent", async () => {
    const error = await settle(clientOf().updateClient(1, { client: { name: "A", code: 1n } } as never));
    expect(error).toMatchObject({ name: "TypeError", message: expect.stringMatching(/BigInt/) });
    expect(home.received).toEqual([]);
  });

  it("a getter that answers differently the second time: what was checked is what arrives", async () => {
    reads = 0;
    await expect(clientOf().updateClient(1, shifty as never)).resolves.toBeUndefined();
    expect(home.received.map((request) => request.body)).toEqual(['{"client":{"name":"Client Name","code":"A1"}}']);
  });

  it("what arrives is byte for byte what was checked", async () => {
    await clientOf().updateClient(1, new (class {
      client = { name: "Client Name", code: "A1", email: undefined };
    })() as never);
    expect(home.received[0]!.body).toBe('{"client":{"name":"Client Name","code":"A1"}}');
  });
});

describe("5. hostile error bodies end in InvoiceXpressError, with bounded work", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}"deep"${"]".repeat(depth)}`;

  it.each([
    ["a deeply nested JSON body", (_r: unknown, res: import("node:http").ServerResponse) =>
      res.writeHead(422, { "content-type": "application/json" }).end(nested(20_000))],
    ["a deeply nested sl-violations header", (_r: unknown, res: import("node:http").ServerResponse) =>
      res.writeHead(422, { "sl-violations": nested(4_000) }).end()],
    ["a deep object body", (_r: unknown, res: import("node:http").ServerResponse) =>
      res.writeHead(422, { "content-type": "application/json" }).end(`${'{"errors":'.repeat(5_000)}"x"${"}".repeat(5_000)}`)],
  ])("%s", async (_name, reply) => {
    answer = reply as Answer;
    const error = await settle(clientOf().updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
  });

  it("an error body that never ends is read only so far, and the call still fails with its status", { timeout: 20_000 }, async () => {
    // 16 kB every 5 ms, at most 2,000 times: far more than the client may read.
    answer = (_request, res) => {
      res.writeHead(422, { "content-type": "text/plain" });
      let writes = 0;
      const timer = setInterval(() => {
        if (writes++ >= 2_000 || res.destroyed) return clearInterval(timer), res.end();
        res.write("x".repeat(16_384));
      }, 5);
      res.on("close", () => clearInterval(timer));
    };
    const error = await settle(clientOf({ timeoutMs: 8_000 }).updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
  });
});

describe("6. masking covers every form the key takes, and only the key", () => {
  const keys = ["k'ey", "s3cr3t key/+&='", "clé-ñ (1)!*~", "a+b c"];
  const onTheWire = (request: { url: string }) => /api_key=([^&]*)/.exec(request.url)![1]!;
  const decoded = (request: { url: string }) => new URL(request.url, "http://h").searchParams.get("api_key")!;
  const echoes: [string, (request: { url: string }) => string][] = [
    ["the key as it arrived, still encoded", onTheWire],
    ["the key as it arrived, with lower-case escapes", (request) => onTheWire(request).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
    ["the key, decoded", decoded],
    ["the key, form-encoded", (request) => new URLSearchParams({ k: decoded(request) }).toString().slice(2)],
    ["the request target", (request) => request.url],
  ];

  it.each(keys.flatMap((key) => echoes.map(([how, echo]) => [key, how, echo] as const)))(
    "key %j: a server that echoes %s in its error is masked",
    async (key, _how, echo) => {
      answer = (request, res) =>
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [{ error: `Unknown key ${echo(request)}.` }, { error: echo(request) }] }));
      const error = await settle(clientOf({ apiKey: key }).updateClient(1, clientBody));
      expect(error).toBeInstanceOf(InvoiceXpressError);
      expectNoKey(error, key);
    },
  );

  it("every field of a thrown network error is masked, code and own properties too", async () => {
    const leak = (text: string) => `${text} ${apiKey} ${encodeURIComponent(apiKey)}`;
    const ix = clientOf({
      fetch: async () => {
        const cause = Object.assign(new Error(leak("connect")), { code: leak("E"), host: apiKey, port: 443 });
        throw Object.assign(new TypeError(leak("fetch failed")), { code: leak("UND_ERR"), url: leak("u"), cause });
      },
    });
    const error = await settle(ix.updateClient(1, clientBody));
    expect(error).toMatchObject({ code: "network" });
    expect((error as Error).cause).toMatchObject({ code: "UND_ERR *** ***", url: "u *** ***" });
    expectNoKey(error, apiKey);
  });

  it.each([
    ["an error whose cause getter throws the URL", (url: string) =>
      Object.defineProperty(new TypeError("fetch failed"), "cause", { get: () => { throw new Error(`could not reach ${url}`); } })],
    ["a value whose toString throws the URL", (url: string) => ({ toString: () => { throw new Error(`no description for ${url}`); } })],
    ["an object without a prototype", (url: string) => Object.assign(Object.create(null), { url })],
  ])("a fetch that rejects with %s ends in a masked network error", async (_name, failure) => {
    const error = await settle(clientOf({ fetch: async (url) => Promise.reject(failure(String(url))) }).updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ code: "network" });
    expectNoKey(error, apiKey);
  });

  it.each([
    ["after a percent-escape, as in an escaped URL", (key: string) => `return_to=%2Fclients%2F1.json%3Fapi_key%3D${key}`],
    ["after an escaped space", (key: string) => `key%20${key}%20is unknown`],
    ["run into a word", (key: string) => `Key${key}is not valid`],
  ])("a long key %s is masked all the same", async (_name, echo) => {
    const key = "0123456789abcdef0123456789abcdef01234567";
    answer = (_request, res) => res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ errors: [echo(key)] }));
    const error = await settle(clientOf({ apiKey: key }).updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expectNoKey(error, key);
  });

  it("a short key that is also the id in the path is masked in an HTTP error's URL as in a network error's", async () => {
    answer = (_request, res) => res.writeHead(404).end();
    const fromHttp = await settle(clientOf({ apiKey: "42" }).updateClient(42, clientBody));
    const fromNetwork = await settle(clientOf({ apiKey: "42", fetch: async () => Promise.reject(new TypeError("fetch failed")) }).updateClient(42, clientBody));
    expect((fromHttp as InvoiceXpressError).url).toBe(`${home.url}/clients/***.json?api_key=***`);
    expect((fromNetwork as InvoiceXpressError).url).toBe((fromHttp as InvoiceXpressError).url);
  });

  it("a short key does not corrupt ordinary words", async () => {
    answer = (_request, res) =>
      res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ errors: ["Germany and company: any key", "many", "any"] }));
    const error = await settle(clientOf({ apiKey: "any" }).updateClient(1, clientBody));
    expect((error as InvoiceXpressError).messages).toEqual(["Germany and company: *** key", "many", "***"]);
  });

  it("the spellings the tests look for are the ones a URL carries", () => {
    expect(keySpellings("k'ey")).toEqual(expect.arrayContaining(["k'ey", "k%27ey"]));
    expect(keySpellings("a b")).toEqual(expect.arrayContaining(["a%20b", "a+b"]));
  });
});

describe("7. ids are safe integers, and path parameters cannot climb out of the base path", () => {
  it.each([1e21, 9007199254740993, Number.MAX_VALUE, 2 ** 53])("client id %d is refused, unsent", async (id) => {
    const error = await settle(clientOf().updateClient(id, clientBody));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues).toContainEqual(expect.objectContaining({ in: "path", path: "/client-id" }));
    expect(home.received).toEqual([]);
  });

  it("an id in the body beyond the safe integers is refused too", async () => {
    const body = {
      invoice: {
        date: "03/12/2017",
        due_date: "03/12/2017",
        client: { name: "C", code: "A1" },
        items: [{ name: "I", description: "D", unit_price: 1, quantity: 1 }],
        owner_invoice_id: 1e21,
      },
    };
    const error = await settle(clientOf().updateDocument("credit_notes", 1, body as never));
    expect((error as RequestValidationError).issues).toEqual([expect.objectContaining({ path: "/invoice/owner_invoice_id" })]);
  });

  it("the largest safe id goes out as written", async () => {
    await clientOf().updateClient(Number.MAX_SAFE_INTEGER, clientBody);
    expect(home.received[0]!.url).toMatch(/^\/clients\/9007199254740991\.json\?/);
  });

  it.each(["..", ".", ""])("with validate: false, a document type of %j sends nothing", async (type) => {
    const ix = clientOf({ baseUrl: `${home.url}/api/v1`, validate: false });
    const error = await settle(ix.updateDocument(type as never, 1, {} as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(home.received).toEqual([]);
  });
});

describe("8. every attempt ends at its timeout, and a call at the caller's abort, whatever the fetch does", () => {
  const neverSettles = () => new Promise<Response>(() => {});
  const bodyNeverEnds = async () =>
    new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), { status: 200, headers: { "content-type": "application/json" } });

  it.each([
    ["a fetch that never settles and ignores its signal", neverSettles],
    ["a response body that never ends and ignores its signal", bodyNeverEnds],
  ])("%s times out on every attempt", async (_name, fetch) => {
    let calls = 0;
    const ix = clientOf({ timeoutMs: 100, maxRetries: 1, fetch: () => (calls++, fetch()) });
    await expect(ix.updateClient(1, clientBody)).rejects.toMatchObject({ code: "timeout" });
    expect(calls).toBe(2);
  });

  it("the caller's abort ends a call whose fetch ignores its signal", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const ix = clientOf({ fetch: neverSettles });
    setTimeout(() => controller.abort(reason), 50);
    await expect(ix.updateClient(1, clientBody, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("9. one signal shared by many concurrent calls", () => {
  it("prints no warning and leaves no listener behind", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const ix = clientOf();
      await Promise.all(Array.from({ length: 50 }, (_, i) => ix.updateClient(i + 1, clientBody, { signal: controller.signal })));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(home.received).toHaveLength(50);
      expect(warnings.map((w) => w.name)).toEqual([]);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("an abort of the shared signal still ends every call waiting to retry", async () => {
    answer = (_request, res) => res.writeHead(503, { "retry-after": "30" }).end();
    const controller = new AbortController();
    const ix = clientOf({ maxRetries: 2 });
    const calls = Array.from({ length: 20 }, (_, i) => settle(ix.updateClient(i + 1, clientBody, { signal: controller.signal })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reason = new Error("stop the job");
    controller.abort(reason);
    expect(await Promise.all(calls)).toEqual(Array(20).fill(reason));
    expect(home.received).toHaveLength(20);
  });
});

describe("10. a status above 599 is an HTTP answer", () => {
  it.each([600, 799, 999])("%i is reported once, not retried as a network failure", async (status) => {
    answer = (_request, res) => res.writeHead(status, { "content-type": "application/json" }).end('{"errors":["odd"]}');
    const error = await settle(clientOf({ maxRetries: 2 }).updateClient(1, clientBody));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ code: "http", status, messages: ["odd"] });
    expect(home.received).toHaveLength(1);
  });
});

describe("a polluted Object.prototype, in a process of its own", () => {
  it("stands in for no option and no field", async () => {
    const script = fileURLToPath(new URL("support/polluted-prototype.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, home.url]);
    expect(JSON.parse(stdout)).toEqual({
      inheritedRequiredField: "RequestValidationError",
      inheritedEnumerableField: "RequestValidationError",
      inheritedOptions: "TypeError",
      inheritedQueryParameter: "RequestValidationError",
    });
    expect(home.received).toEqual([]);
  });
});
