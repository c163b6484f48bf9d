// The create, state-change and email bodies that public integrations of the
// service send, each with its source and what is known of the service's
// answer (test/fixtures/life/): each goes out unchanged, or is refused unsent
// with the fields named, as the evidence and the spec's rules decide; the
// Prism mock agrees.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createInvoiceXpressClient, RequestValidationError, type InvoiceXpressClient } from "../src/index.js";
import { mockClient } from "./support/mock-client.js";
import { recordingFetch } from "./support/recording-fetch.js";

type LifeOperation = "createClient" | "createPurchaseOrder" | "createDocument" | "changeDocumentState" | "emailDocument";
interface LifeBody {
  name: string;
  operation: LifeOperation;
  documentType?: string;
  /** "sent", or the JSON pointers of the fields the client names when it refuses. */
  expect: "sent" | { refused: string[] };
  body: unknown;
}
interface Source {
  source: { repository: string; commit: string; kind: string };
  bodies: LifeBody[];
}

const folder = new URL("./fixtures/life/", import.meta.url);
const sources = readdirSync(folder)
  .filter((file) => file.endsWith(".json"))
  .map((file) => JSON.parse(readFileSync(new URL(file, folder), "utf8")) as Source);
const cases = sources.flatMap(({ source, bodies }) => bodies.map((body) => [`${source.repository}: ${body.name}`, body] as const));

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

describe("the client sends each body unchanged, or refuses it unsent naming its fields", () => {
  it.each(cases)("%s", async (_name, entry) => {
    const { fetch, calls } = recordingFetch();
    const ix = createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey: "corpus-key", fetch, rateLimit: false });
    const outcome = await send(ix, entry).then(() => "sent", (error: unknown) => error);
    if (entry.expect === "sent") {
      expect(outcome).toBe("sent");
      expect(calls).toHaveLength(1);
      expect(calls[0]!.body).toBe(JSON.stringify(entry.body));
    } else {
      expect(outcome).toBeInstanceOf(RequestValidationError);
      const issues = (outcome as RequestValidationError).issues;
      expect(issues.map((issue) => issue.path).sort()).toEqual([...entry.expect.refused].sort());
      for (const issue of issues) expect(issue.message).toMatch(/^[A-Z].*[.?]$/);
      expect(calls).toHaveLength(0);
    }
  });
});

describe("the Prism mock gives each body the same verdict, in the same words", () => {
  const { ix } = mockClient({ validate: false });
  it.each(cases)("%s", async (_name, entry) => {
    const { response, error } = await send(ix, entry);
    if (entry.expect === "sent") expect(response.status).toBeLessThan(300);
    else {
      expect(response.status).toBe(422);
      const { errors } = error as { errors: { error: string }[] };
      expect(errors.map(({ error }) => error.replace(/^(body|path) (\S+): .*/, "$2")).sort()).toEqual([...entry.expect.refused].sort());
    }
  });
});
