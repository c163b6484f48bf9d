// Ends a command when a process that started it is gone: `npm run proxy`'s
// npm, or `npx`'s wrapper, killed, leaves the command running unseen.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Calls `stop` once any of up to four generations above this process (npm, its shell, tsx or npx) has ended. */
export function stopWhenStarterGone(stop: () => void) {
  const ancestors: number[] = [];
  for (let child = process.pid; ancestors.length < 4; ) {
    const parent = Number(spawnSync("ps", ["-o", "ppid=", "-p", String(child)], { encoding: "utf8" }).stdout?.trim());
    if (!(parent > 1)) break;
    ancestors.push((child = parent));
  }
  // Ended, or a zombie its parent has not reaped yet (Linux says so in /proc).
  const gone = (pid: number) => {
    try {
      if (/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return true;
    } catch {}
    try {
      return !process.kill(pid, 0);
    } catch {
      return true;
    }
  };
  setInterval(() => ancestors.some(gone) && stop(), 1_000).unref();
}
