// Type-checks TypeScript examples (from the README, the guides, the docs'
// code samples) as a reader would copy them: each a module of its own, in a
// strict project that imports the package.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Example {
  /** The file and the line where the block starts, for the failure message. */
  file: string;
  line: number;
  code: string;
}

/** Type-checks each example as a module of its own (in `workdir`, inside the project, so that it finds its @types/node); each error as "file:line: message". */
export function compileErrors(blocks: Example[], workdir = join(root, "build", "examples")): string[] {
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  // The examples use top-level await: ES modules, as the README says.
  writeFileSync(join(workdir, "package.json"), JSON.stringify({ type: "module" }));
  const files = blocks.map((block, i) => {
    const file = join(workdir, `example-${i}-${block.line}.ts`);
    writeFileSync(file, block.code);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    // Every block is a module, even one with no import: nothing leaks from one to the next.
    moduleDetection: ts.ModuleDetectionKind.Force,
    types: ["node"],
    noEmit: true,
    skipLibCheck: true,
    paths: {
      "invoicexpress-openapi": [join(root, "src", "index.ts")],
      "invoicexpress-openapi/redis": [join(root, "src", "redis.ts")],
      "invoicexpress-openapi/dates": [join(root, "src", "dates.ts")],
      "invoicexpress-openapi/testing": [join(root, "src", "testing", "index.ts")],
    },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && files.includes(diagnostic.file.fileName))
    .map((diagnostic) => {
      const block = blocks[files.indexOf(diagnostic.file!.fileName)]!;
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!);
      return `${block.file}:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    });
}

