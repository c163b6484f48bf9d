// One trial of the request timings, run by `npm run bench` in a fresh process
// several times: where the JIT and the collector land differs from process to
// process by more than the few per cent being measured, so the bench pools
// the rounds of several processes instead of trusting one.
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import type { DocumentUpdateBody } from "../src/index.js";
import { operationPaths, vendorBodies } from "../test/support/vendor-bodies.js";
import { bareFetchPut, interleavedRounds, startLoopbackServer, unreachedRateLimit } from "./measure.js";

export interface Trial {
  /** The client's calls and their baselines: time per call in µs, one sample per round. */
  contenders: Record<string, number[]>;
  /** Plain openapi-fetch wired as a new user would, in rounds of its own. */
  references: Record<string, number[]>;
}

const invoice = vendorBodies.updateDocument as DocumentUpdateBody;
// The package as users get it: `npm run bench` builds it before the trials.
const { createInvoiceXpressClient } = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src/index.js");

const server = await startLoopbackServer();
const apiKey = "bench-key";
const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey, rateLimit: unreachedRateLimit });
const [, path] = operationPaths.updateDocument;
const documentUrl = `${server.url}/invoices/1.json?api_key=${apiKey}`;
const bareFetch = () => bareFetchPut(documentUrl, invoice);

// The client's per-attempt timeout needs an AbortSignal, and undici's own
// handling of a request's signal has a cost, so a bare fetch that carries
// the same timeout is measured too. The budget's contenders run on their
// own, so that the allocations of the slower references do not land in
// their rounds.
const contenders = await interleavedRounds(
  {
    "bare fetch": bareFetch,
    "bare fetch with a 30 s timeout signal": () => bareFetchPut(documentUrl, invoice, { timeoutMs: 30_000 }),
    updateDocument: () => ix.updateDocument("invoices", 1, invoice),
    // The same body created: answered 201 with a draft, which the client reads.
    createDocument: () => ix.createDocument("invoices", invoice),
    "raw PUT": () => ix.PUT("/{document-type}/{document-id}.json", { params: { path }, body: invoice }),
  },
  { rounds: 30, perRound: 200 },
);

const withMiddleware = createClient<paths>({ baseUrl: server.url });
withMiddleware.use({
  onRequest: ({ request }) => {
    const url = new URL(request.url);
    url.searchParams.set("api_key", apiKey);
    return new Request(url, request);
  },
});
const withSerializer = createClient<paths>({ baseUrl: server.url, querySerializer: () => `api_key=${apiKey}` });
const put = (plain: typeof withMiddleware) => plain.PUT("/{document-type}/{document-id}.json", { params: { path }, body: invoice });
const references = await interleavedRounds(
  {
    "bare fetch": bareFetch,
    "openapi-fetch, key added by middleware": () => put(withMiddleware),
    "openapi-fetch, key added by querySerializer": () => put(withSerializer),
  },
  { rounds: 15, perRound: 200 },
);

server.stop();
process.send!({ contenders, references } satisfies Trial, () => process.disconnect());
