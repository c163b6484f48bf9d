// npm run test:runtimes: the packed package, installed as a user installs
// it, runs the one scenario (scenario.ts) in every runtime the README names,
// against one Prism mock of the spec it ships, two runtimes at a time. The
// command fails if any runtime fails a step or cannot run here.
import { freePort, startMock } from "../../scripts/mock.js";
import { chromiumRuntime } from "./chromium.js";
import { cliRuntimes } from "./cli-runtimes.js";
import { stopAll } from "./processes.js";
import { makeUserProject, type UserProject } from "./project.js";
import { CannotRun, type Runtime } from "./runtime.js";
import { scenarioSteps, type StepResult } from "./scenario.js";
import { workerdRuntime } from "./workerd.js";

const runtimes: Runtime[] = [...cliRuntimes, chromiumRuntime, workerdRuntime];
const atOnce = 2;

interface Outcome {
  runtime: string;
  version?: string;
  verdict: "pass" | "FAIL" | "CANNOT RUN";
  steps: StepResult[];
  problem?: string;
  seconds: number;
}

async function attempt(runtime: Runtime, project: UserProject, mockUrl: string): Promise<Outcome> {
  const began = performance.now();
  const outcome = (fields: Omit<Outcome, "runtime" | "seconds">): Outcome => ({
    runtime: runtime.name,
    seconds: (performance.now() - began) / 1000,
    ...fields,
  });
  let version: string;
  try {
    version = await runtime.locate();
  } catch (error) {
    const why = error instanceof CannotRun ? error.message : `it did not start: ${(error as Error).message}`;
    return outcome({ verdict: "CANNOT RUN", steps: [], problem: why });
  }
  try {
    const steps = await runtime.run(project, mockUrl);
    const reported = steps.map(({ step }) => step);
    const complete = JSON.stringify(reported) === JSON.stringify(scenarioSteps);
    const problem = complete ? undefined : `it reported the steps [${reported.join(", ")}], not the scenario's`;
    return outcome({ version, verdict: complete && steps.every(({ ok }) => ok) ? "pass" : "FAIL", steps, problem });
  } catch (error) {
    return outcome({ version, verdict: "FAIL", steps: [], problem: (error as Error).message });
  }
}

function report({ runtime, version, verdict, steps, problem, seconds }: Outcome) {
  const lines = [`${verdict.padEnd(10)} ${runtime.padEnd(8)} ${seconds.toFixed(1).padStart(4)} s  ${version ?? ""}`.trimEnd()];
  for (const { step, ok, detail } of steps) lines.push(`  ${ok ? "ok  " : "FAIL"} ${step}${detail ? `: ${detail}` : ""}`);
  if (problem) lines.push(`  ${problem}`);
  console.log(lines.join("\n"));
}

/** Runs `work` on every item, `width` at a time, keeping the items' order in the results. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

async function main() {
  const began = performance.now();
  let project: UserProject | undefined;
  let mock: Awaited<ReturnType<typeof startMock>> | undefined;
  const cleanUp = async () => {
    await stopAll();
    await mock?.stop();
    await project?.remove();
  };
  for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]] as const) {
    process.once(signal, () => {
      console.log(`\nStopped by ${signal}: ending the runtimes and the mock.`);
      void cleanUp().finally(() => process.exit(128 + number));
    });
  }

  let outcomes: Outcome[];
  try {
    project = await makeUserProject();
    mock = await startMock({ port: await freePort(), installed: { spec: project.spec, preload: project.preload } });
    console.log(`The packed package (${project.tarball.split("/").at(-1)}) against the Prism mock of its spec at ${mock.url}:\n`);
    outcomes = await inParallel(runtimes, atOnce, async (runtime) => {
      const outcome = await attempt(runtime, project!, mock!.url);
      report(outcome);
      return outcome;
    });
  } finally {
    await cleanUp();
  }

  const failed = outcomes.filter(({ verdict }) => verdict !== "pass");
  console.log(`\n${outcomes.length - failed.length} of ${outcomes.length} runtimes passed in ${((performance.now() - began) / 1000).toFixed(1)} s.`);
  for (const { runtime, verdict, steps, problem } of failed) {
    const failedSteps = steps.filter(({ ok }) => !ok).map(({ step }) => step);
    console.log(`${verdict}: ${runtime}: ${[...failedSteps, ...(problem ? [problem] : [])].join("; ")}`);
  }
  process.exitCode = failed.length === 0 ? 0 : 1;
}

await main();
