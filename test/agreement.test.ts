// Property-based: bodies built from the spec's schemas, valid and mutated.
// The client's verdict must agree with Prism's (the mock, over HTTP) and with
// Ajv's (compiled from the spec), and valid bodies must type-check against
// the generated TypeScript types.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { requests } from "../generated/request-schemas.js";
import { createSpecAjv, loadSpec, requestBodyRef, schemaRef } from "../scripts/spec.js";
import { requestIssues } from "../src/validation.js";
import { mutated, validValue } from "./support/arbitraries.js";
import { mockClient } from "./support/mock-client.js";
import { documentTypes, operationPaths, type Operation } from "./support/vendor-bodies.js";

const operations = Object.keys(operationPaths) as Operation[];
const bodySchema = (operation: Operation) => requests[`PUT ${operationPaths[operation][0]}`]!.body!;
const bodyArbitrary = (operation: Operation) => validValue(bodySchema(operation));
// The body's component, which is also the name src/index.ts exports its type by.
const bodyType = (operation: Operation) => bodySchema(operation).$ref!;

// Path parameters: mostly valid, sometimes not (never a type Prism would read as another route).
const pathArbitrary = (operation: Operation) => {
  const id = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) }, fc.constantFrom(0, -1, 1.5));
  if (operation === "updateClient") return fc.record({ "client-id": id });
  if (operation === "updatePurchaseOrder") return fc.record({ "document-id": id });
  const type = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...documentTypes) },
    fc.constantFrom("receipts", "invoice", "Invoices"),
  );
  return fc.record({ "document-type": type, "document-id": id });
};

describe("the client agrees with Prism", () => {
  let sent = 0;
  const { ix, violations } = mockClient({ validate: false });
  const send = (operation: Operation, path: Record<string, unknown>, body: unknown) => {
    sent++;
    if (operation === "updateClient") return ix.updateClient(path["client-id"] as number, body as never);
    if (operation === "updatePurchaseOrder") return ix.updatePurchaseOrder(path["document-id"] as number, body as never);
    return ix.updateDocument(path["document-type"] as never, path["document-id"] as number, body as never);
  };

  it.each(operations)("%s: on 350 bodies, valid and mutated", { timeout: 180_000 }, async (operation) => {
    const valid = bodyArbitrary(operation);
    const body = fc.oneof(valid, valid.chain(mutated));
    await fc.assert(
      fc.asyncProperty(pathArbitrary(operation), body, async (path, body) => {
        const clientSays = requestIssues("PUT", operationPaths[operation][0], path, body).length === 0;
        const outcome = await send(operation, path, body).then(
          () => 200,
          (error: { status?: number }) => error.status,
        );
        expect(outcome === 200 || outcome === 422, `Prism answered ${outcome}`).toBe(true);
        expect(clientSays, `Prism answered ${outcome} (${violations()})`).toBe(outcome === 200);
      }),
      { numRuns: 350 },
    );
  });

  afterAll(() => {
    // The issue asks for at least 1,000 bodies in all.
    expect(sent).toBeGreaterThanOrEqual(1000);
  });
});

describe("the client agrees with Ajv compiled from the spec", () => {
  const spec = loadSpec();
  const ajv = createSpecAjv(spec);
  it.each(operations)("%s: on 3,000 bodies", (operation) => {
    const ajvValidate = ajv.getSchema(schemaRef(requestBodyRef(spec, operation)))!;
    const [template, validPath] = operationPaths[operation];
    const valid = bodyArbitrary(operation);
    fc.assert(
      fc.property(fc.oneof(valid, valid.chain(mutated)), (body) => {
        expect(requestIssues("PUT", template, validPath, body).length === 0).toBe(ajvValidate(body));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("valid bodies satisfy the generated TypeScript types", () => {
  let scratch: string | undefined;
  afterAll(() => scratch && rm(scratch, { recursive: true, force: true }));

  it("the client accepts every body built as valid, and tsc accepts them as typed", { timeout: 120_000 }, async () => {
    const validBodies = Object.fromEntries(operations.map((operation) => [operation, fc.sample(bodyArbitrary(operation), 150)]));
    for (const operation of operations) {
      const [template, path] = operationPaths[operation];
      for (const body of validBodies[operation]!) expect(requestIssues("PUT", template, path, body)).toEqual([]);
    }
    scratch = await mkdtemp(join(tmpdir(), "invoicexpress-typed-bodies-"));
    const index = fileURLToPath(new URL("../src/index.js", import.meta.url));
    const source = [
      `import type { ${operations.map(bodyType).join(", ")} } from ${JSON.stringify(index)};`,
      ...operations.map(
        (operation) => `export const ${operation}: ${bodyType(operation)}[] = ${JSON.stringify(validBodies[operation])};`,
      ),
    ].join("\n");
    await writeFile(join(scratch, "bodies.ts"), source);
    const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
    const args = ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--lib", "es2022,dom", "--types", "node"];
    const result = await promisify(execFile)(process.execPath, [tsc, ...args, join(scratch, "bodies.ts")]).catch(
      (error: { stdout: string }) => error,
    );
    expect(result.stdout).toBe("");
  });
});
