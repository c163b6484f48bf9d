// The create, state-change and email bodies that public integrations of the
// service send, each with its source and what is known of the service's
// answer (test/fixtures/life/): each goes out unchanged, or is refused unsent
// with the fields named, as the evidence and the spec's rules decide; the
// Prism mock agrees.
import { describe, expect, it } from "vitest";
import { createInvoiceXpressClient, type InvoiceXpressClient } from "../src/index.js";
import { expectClientVerdict, expectMockVerdict, loadCorpus, type CorpusBody } from "./support/corpus.js";
import { mockClient } from "./support/mock-client.js";
import { recordingFetch } from "./support/recording-fetch.js";

type LifeOperation = "createClient" | "createPurchaseOrder" | "createDocument" | "changeDocumentState" | "emailDocument";
type LifeBody = CorpusBody<LifeOperation>;
const sources = loadCorpus<LifeOperation>(new URL("./fixtures/life/", import.meta.url));
const cases = sources.flatMap(({ source, bodies }) => bodies.map((body) => [`${source.repository}: ${body.name}`, body] as const));

// The update corpus's bodies that their sources send to a create, held to
// the create: the same body, and beside a document's root the create takes
// `proprietary_uid` (the vendor's InvoiceCreateRequest), which an update refuses.
const creates = { updateClient: "createClient", updatePurchaseOrder: "createPurchaseOrder", updateDocument: "createDocument" } as const;
const createCases = loadCorpus<keyof typeof creates>(new URL("./fixtures/real-world/", import.meta.url)).flatMap(({ source, bodies }) =>
  bodies
    .filter(({ sentTo }) => sentTo?.startsWith("POST "))
    .map((entry) => {
      const refused = entry.expect === "sent" ? [] : entry.expect.refused.filter((pointer) => pointer !== "/proprietary_uid");
      const asCreate: LifeBody = { ...entry, operation: creates[entry.operation], expect: refused.length ? { refused } : "sent" };
      return [`${source.repository}: ${entry.name}`, asCreate] as const;
    }),
);

// As raw calls, so that a body under another root goes out as written.
const send = async (ix: InvoiceXpressClient, { operation, documentType = "invoices", body }: LifeBody) => {
  const document = { "document-type": documentType, "document-id": 24850807 };
  return operation === "createClient"
      ? await ix.POST("/clients.json", { body: body as never })
      : operation === "createPurchaseOrder"
        ? await ix.POST("/purchase_orders.json", { body: body as never })
        : operation === "createDocument"
          ? await ix.POST("/{document-type}.json", { params: { path: { "document-type": documentType as never } }, body: body as never })
          : operation === "changeDocumentState"
            ? await ix.PUT("/{document-type}/{document-id}/change-state.json", { params: { path: document as never }, body: body as never })
            : await ix.PUT("/{document-type}/{document-id}/email-document.json", { params: { path: document as never }, body: body as never });
};

// No public integration creates a purchase order (the spec's examples, from the vendor's page, stand for it).
it("the corpus holds at least 40 bodies from at least 8 independent sources, of every operation integrations make", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(sources.map(({ source }) => source.repository)).size).toBeGreaterThanOrEqual(8);
  for (const { source } of sources) expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
  expect(new Set(cases.map(([, { operation }]) => operation))).toEqual(new Set(["createClient", "createDocument", "changeDocumentState", "emailDocument"]));
});

it("the update corpus's creates are all here, and those refused as updates only for proprietary_uid go out as creates", () => {
  expect(createCases).toHaveLength(41);
  const onlyUid = createCases.filter(([, { body }]) => Object.hasOwn(Object(body), "proprietary_uid"));
  expect(onlyUid.length).toBeGreaterThanOrEqual(6);
  expect(onlyUid.filter(([, { expect: verdict }]) => verdict === "sent").length).toBeGreaterThanOrEqual(6);
});

describe("the client sends each body unchanged, or refuses it unsent naming its fields", () => {
  it.each([...cases, ...createCases])("%s", async (_name, entry) => {
    const { fetch, calls } = recordingFetch();
    const ix = createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey: "corpus-key", fetch, rateLimit: false });
    const outcome = await send(ix, entry).then(() => "sent", (error: unknown) => error);
    expectClientVerdict(entry, outcome, calls);
  });
});

describe("the Prism mock gives each body the same verdict, in the same words", () => {
  const { ix } = mockClient({ validate: false });
  it.each([...cases, ...createCases])("%s", async (_name, entry) => {
    const { response, error } = await send(ix, entry);
    expectMockVerdict(entry, response.status, (error as { errors?: { error: string }[] } | undefined)?.errors?.map(({ error: message }) => message));
  });
});
