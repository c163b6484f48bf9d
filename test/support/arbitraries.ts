// fast-check arbitraries built from the generated request rules: bodies the
// spec accepts, and mutations of them that it may not.
import fc from "fast-check";
import { schemas, type RuleSchema } from "../../generated/request-schemas.js";
import { loadSpec } from "../../scripts/spec.js";

// Enums come from the spec itself (the IVA codes reach the client as a pattern).
const specSchemas = loadSpec().components.schemas as Record<string, { enum?: unknown[] }>;

/** Values that the schema at hand accepts. */
export function validValue(schema: RuleSchema): fc.Arbitrary<unknown> {
  if (schema.nullable) return fc.oneof({ weight: 4, arbitrary: validValue({ ...schema, nullable: undefined }) }, fc.constant(null));
  if (schema.$ref) {
    const listed = specSchemas[schema.$ref]!.enum;
    return listed ? fc.constantFrom(...listed) : validValue(schemas[schema.$ref]!);
  }
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(validValue));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "string":
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: 12 });
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case "array":
      return fc.array(validValue(schema.items!), { minLength: schema.minItems ?? 0, maxLength: 3 });
    case "object": {
      const properties = { ...schema.properties, ...schema.readOnly };
      const required = new Set(Object.keys(schema.missing ?? {}));
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property)])),
        { requiredKeys: [...required].filter((name) => name in properties) },
      );
    }
  }
  throw new Error(`no arbitrary for ${JSON.stringify(schema)}`);
}

// Values a careless caller might send in the wrong place.
const wrongValues = fc.constantFrom<unknown>(
  -1, 0, 1, 1.5, 100.01, 101, "", "abc", "-5", "12.5", "1e3", "31/02/2017", "2017-12-03", "03/12/2017",
  "M00", "M03", "XXX", "eur", "fr", "Portugall", "foo@", null, true, [], {}, [1], { name: "x" },
);

/** Paths (as key lists) to every value inside `value`. */
function pathsIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsIn(item, [...at, i])));
  if (typeof value === "object" && value !== null)
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsIn(item, [...at, key])));
  return here;
}

type Mutation = { kind: "replace" | "delete" | "add"; at: (string | number)[]; value: unknown };

/** A copy of `body` with one value replaced, deleted, or one unknown field added. */
export function mutated(body: unknown): fc.Arbitrary<unknown> {
  const paths = pathsIn(body);
  return fc
    .record({
      kind: fc.constantFrom<Mutation["kind"]>("replace", "delete", "add"),
      at: fc.constantFrom(...paths),
      value: wrongValues,
    })
    .map((mutation) => apply(body, mutation));
}

function apply(body: unknown, { kind, at, value }: Mutation): unknown {
  if (at.length === 0) return kind === "replace" ? value : body;
  const copy = structuredClone(body);
  const parent = at.slice(0, -1).reduce<any>((node, key) => node[key], copy);
  const key = at.at(-1)!;
  if (kind === "replace") parent[key] = value;
  else if (kind === "delete") Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
  else {
    const target = parent[key];
    if (typeof target === "object" && target !== null && !Array.isArray(target)) target.unexpected_field = value;
    else parent[key] = value;
  }
  return copy;
}
