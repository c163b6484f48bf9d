// One place that reads the spec, and configures Ajv for it as Prism does:
// the tests check the spec with it, and hold the client's own checks to it.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { parse } from "yaml";

export const specUrl = new URL("../openapi/invoicexpress.yaml", import.meta.url);
const specId = "invoicexpress.yaml";

export type Spec = {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: {
    schemas: Record<string, object>;
    parameters: Record<string, Parameter>;
    examples: Record<string, { value: unknown }>;
    responses: Record<string, { content?: object }>;
  };
};
export type Parameter = { name: string; required?: boolean; schema: object };
export type Method = "get" | "put" | "post";
type Operation = {
  operationId: string;
  responses: Record<string, { $ref: string }>;
  parameters?: ({ $ref: string } | Parameter)[];
  /** Updates have one; reads have none. */
  requestBody?: { content: { "application/json": { schema: { $ref: string }; examples: Record<string, { $ref: string }> } } };
};

/** Every operation of the spec, with its method and path template. */
export const operationsOf = (spec: Spec) =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method as Method, operation: operation! })),
  );

export function loadSpec(): Spec {
  return parse(readFileSync(specUrl, "utf8")) as Spec;
}

/** The operation with this operationId. */
export function findOperation(spec: Spec, operationId: string): Operation {
  const found = operationsOf(spec).find(({ operation }) => operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId} in the spec`);
  return found.operation;
}

/** The component a `$ref` points at: `#/components/schemas/Client` is `Client`. */
export const refName = (ref: string) => ref.split("/").pop()!;

/** The `$ref` of an operation's request body schema. */
export const requestBodyRef = (spec: Spec, operationId: string) =>
  findOperation(spec, operationId).requestBody!.content["application/json"].schema.$ref;

/** The named request examples of an operation: [component name, value]. */
export const requestExamples = (spec: Spec, operationId: string) =>
  Object.values(findOperation(spec, operationId).requestBody!.content["application/json"].examples).map(({ $ref }) => {
    const name = refName($ref);
    return [name, spec.components.examples[name]!.value] as const;
  });

/** `#/components/schemas/X` as a reference Ajv resolves against the registered spec. */
export const schemaRef = (pointer: string) => `${specId}${pointer}`;

export function createSpecAjv(spec: Spec): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // The spec holds OpenAPI keywords beside the schemas (components, examples).
    strictSchema: false,
    // The same expression Prism's ajv-formats uses.
    formats: { email: fullFormats.email as RegExp },
  });
  ajv.addSchema({ $id: specId, components: { schemas: spec.components.schemas, parameters: spec.components.parameters } });
  return ajv;
}
