// Before `npm test` and `npm run test:browser`: the Debian packages the tests
// run (openssl, redis-server; chromium for the docs test). What is missing is
// installed where this can be done (as root, with apt-get); otherwise this
// stops at once and names the command, rather than a test failing half-way.
import { spawnSync } from "node:child_process";

const packages: Record<string, string[]> = {
  test: ["openssl", "redis-server"],
  browser: ["chromium"],
};

const suite = process.argv[2] ?? "test";
const wanted = packages[suite];
if (!wanted) throw new Error(`scripts/system.ts: no suite "${suite}"; one of ${Object.keys(packages).join(", ")}`);

const found = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
const missing = wanted.filter((command) => !found(command));
if (missing.length > 0) {
  const install = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  const script = suite === "test" ? "npm test" : `npm run test:${suite}`;
  if (process.getuid?.() !== 0 || !found("apt-get")) {
    console.error(`${script} needs Debian's ${missing.join(" and ")}: sudo apt-get update && sudo ${install}`);
    process.exit(1);
  }
  console.error(`${script}: installing Debian's ${missing.join(" and ")} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const command of ["apt-get update -qq", `${install} -qq`]) {
    const run = spawnSync("sh", ["-c", command], { stdio: ["ignore", "ignore", "inherit"], env });
    if (run.status !== 0) {
      console.error(`${script}: "${command}" failed; install ${missing.join(" and ")} and run it again.`);
      process.exit(1);
    }
  }
}
