// The conformance proxy's findings: requests seen per operation, and each
// distinct violation with how often it was seen and one example.

export interface Violation {
  /** The spec's operationId, or "unknown" for a path the spec does not have. */
  operation: string;
  location: "request" | "response";
  /** The status the caller got. */
  status: number;
  /** The broken rule, in plain words. */
  message: string;
  count: number;
  /** The first request and answer that showed it: the key masked, bodies cut short. */
  example: { request: string; body: string };
}

export interface Report {
  upstream: string;
  started: string;
  ended: string;
  requests: Record<string, number>;
  violations: Violation[];
}

// Enough of a body to recognise it; a report is read by a person.
const longestBody = 500;

export function createReport(upstream: string) {
  const started = new Date().toISOString();
  const requests: Record<string, number> = {};
  const violations = new Map<string, Violation>();
  return {
    sawRequest(operation: string) {
      requests[operation] = (requests[operation] ?? 0) + 1;
    },
    sawViolation(found: Omit<Violation, "count" | "example">, example: Violation["example"]) {
      const key = JSON.stringify([found.operation, found.location, found.status, found.message]);
      const seen = violations.get(key);
      if (seen) seen.count++;
      else violations.set(key, { ...found, count: 1, example: { ...example, body: cut(example.body) } });
    },
    finish(): Report {
      return { upstream, started, ended: new Date().toISOString(), requests, violations: [...violations.values()] };
    },
  };
}

// A copy of its own (through bytes): a slice would keep the whole body alive as long as the report.
const cut = (body: string) =>
  Buffer.from(body.length > longestBody ? `${body.slice(0, longestBody)}… (${body.length} characters in all)` : body).toString();

/** The report as Markdown: what a person reads after a session. */
export function reportMarkdown(report: Report): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
  const lines = [
    "# Conformance report",
    "",
    `Upstream ${report.upstream}, from ${report.started} to ${report.ended}.`,
    "",
    "| operation | requests |",
    "| --- | --- |",
    ...Object.entries(report.requests).map(([operation, count]) => `| ${operation} | ${count} |`),
    "",
  ];
  if (report.violations.length === 0) return [...lines, "No violations: every request and answer seen agreed with the spec.", ""].join("\n");
  return [
    ...lines,
    "| operation | location | status | message | count | example |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.violations.map((v) =>
      `| ${v.operation} | ${v.location} | ${v.status} | ${cell(v.message)} | ${v.count} | ${code(v.example.request)} ${code(v.example.body)} |`,
    ),
    "",
  ].join("\n");
}

// An example as inline code, so that a body of HTML shows as text.
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\s+/g, " ")}\``;

/** A few lines for the terminal. */
export function reportSummary(report: Report): string {
  const seen = Object.entries(report.requests).map(([operation, count]) => `${operation} ${count}`).join(", ") || "none";
  const lines = [`Requests: ${seen}.`, `Violations: ${report.violations.length}.`];
  for (const v of report.violations) lines.push(`  ${v.operation} ${v.location} ${v.status} ×${v.count}: ${v.message}`);
  return lines.join("\n");
}
