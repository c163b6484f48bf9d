// Bodies that public integrations of the service send, each with its source
// and what is known of the service's answer (test/fixtures/real-world/):
// each goes out unchanged, or is refused unsent with the fields named, as
// the evidence and the spec's rules decide; the Prism mock agrees.
import { describe, expect, it } from "vitest";
import { createInvoiceXpressClient, type InvoiceXpressClient } from "../src/index.js";
import { expectClientVerdict, expectMockVerdict, loadCorpus, type CorpusBody } from "./support/corpus.js";
import { mockClient } from "./support/mock-client.js";
import { recordingFetch } from "./support/recording-fetch.js";
import type { Operation } from "./support/vendor-bodies.js";

type RealWorldBody = CorpusBody<Operation>;
const sources = loadCorpus<Operation>(new URL("./fixtures/real-world/", import.meta.url));
const cases = sources.flatMap(({ source, bodies }) => bodies.map((body) => [`${source.repository}: ${body.name}`, body] as const));

const send = (ix: InvoiceXpressClient, { operation, documentType = "invoices", body }: RealWorldBody) =>
  operation === "updateClient"
    ? ix.updateClient(42, body as never)
    : operation === "updatePurchaseOrder"
      ? ix.updatePurchaseOrder(7, body as never)
      : ix.updateDocument(documentType as never, 1, body as never);

it("the corpus holds at least 40 bodies from at least 8 independent sources", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(sources.map(({ source }) => source.repository)).size).toBeGreaterThanOrEqual(8);
  for (const { source } of sources) expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
});

describe("the client sends each body unchanged, or refuses it unsent naming its fields", () => {
  it.each(cases)("%s", async (_name, entry) => {
    const { fetch, calls } = recordingFetch();
    const ix = createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey: "corpus-key", fetch, rateLimit: false });
    const outcome = await send(ix, entry).then(() => "sent", (error: unknown) => error);
    expectClientVerdict(entry, outcome, calls);
  });
});

describe("the Prism mock gives each body the same verdict, in the same words", () => {
  const { ix } = mockClient({ validate: false });
  it.each(cases)("%s", async (_name, entry) => {
    const outcome = await send(ix, entry).then(() => ({ status: 200, messages: [] as string[] }), (error: { status?: number; messages?: string[] }) => error);
    expectMockVerdict(entry, outcome.status, outcome.messages);
  });
});
