// Run in a process of its own by trust-boundary.test.ts, since it tampers
// with Object.prototype: the client, created and called under a polluted
// prototype, must not take an inherited property for an option or a field.
// (Node's fetch itself reads a `dispatcher` from a polluted prototype, which
// no caller of it can prevent.) Prints one JSON line: what each call ended in.
import { createInvoiceXpressClient } from "../../src/index.js";

const [home] = process.argv.slice(2) as [string];
const apiKey = "polluted-prototype-key";
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "sent",
    (error: Error) => error.name,
  );
const pollute = (name: string, value: unknown, enumerable = false) =>
  Object.defineProperty(Object.prototype, name, { value, enumerable, configurable: true, writable: true });

const results: Record<string, string> = {};

// A `code` every object inherits must not stand in for a missing field.
pollute("code", "A1");
results.inheritedRequiredField = await outcome(
  createInvoiceXpressClient({ baseUrl: home, apiKey }).updateClient(1, { client: { name: "N" } } as never),
);
delete (Object.prototype as Record<string, unknown>).code;

// An enumerable property on every object reads as a field the spec does not
// define: the call is refused rather than sent with it.
pollute("tag", "x", true);
results.inheritedEnumerableField = await outcome(
  createInvoiceXpressClient({ baseUrl: home, apiKey }).updateClient(1, { client: { name: "N", code: "C" } }),
);
delete (Object.prototype as Record<string, unknown>).tag;

// Options are the caller's own: an inherited `validate: false` or `fetch` is
// not one. (An inherited per-call `fetch` is refused like an own one.)
pollute("validate", false);
pollute("fetch", () => Promise.reject(new Error("the inherited fetch was used")));
results.inheritedOptions = await outcome(
  createInvoiceXpressClient({ baseUrl: home, apiKey }).updateClient(1, { client: { name: "N", junk: 1 } } as never),
);
delete (Object.prototype as Record<string, unknown>).validate;
delete (Object.prototype as Record<string, unknown>).fetch;

// A query parameter every object inherits is not the caller's: a find
// without its own code is refused, not sent with the inherited one.
pollute("client_code", "A1");
results.inheritedQueryParameter = await outcome(
  createInvoiceXpressClient({ baseUrl: home, apiKey }).GET("/clients/find-by-code.json", { params: { query: {} } } as never),
);
delete (Object.prototype as Record<string, unknown>).client_code;

console.log(JSON.stringify(results));
