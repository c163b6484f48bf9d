// Lint is the first test: the spec passes redocly.yaml's rules with nothing to report.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("`redocly lint` reports no errors and no warnings", async () => {
  const { stdout, stderr } = await promisify(execFile)("npx", ["--no-install", "redocly", "lint", "--format=json"], {
    cwd: new URL("..", import.meta.url),
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  }).catch((error: { stdout: string; stderr: string }) => error);
  const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
  expect(report.problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  // redocly.yaml itself is linted too; its problems go to stderr.
  expect(stderr).not.toMatch(/Your config has/);
});
