// The runtimes' processes: each one is known until it has exited, so that
// the matrix can end whatever is left when it stops, even on a failure.
import { spawn, type ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();
const closers = new Set<() => Promise<void>>();

/** Has `close` called by stopAll until the returned function is; for what runs processes of its own (a browser). */
export function closeOnStop(close: () => Promise<void>) {
  closers.add(close);
  return () => void closers.delete(close);
}

export interface Started {
  /** Resolves when the process has exited, with its code or signal. */
  exited: Promise<string>;
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

export function start(command: string, args: string[], { cwd, env }: { cwd: string; env: Record<string, string> }): Started {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<string>((resolve) => {
    child.once("error", (error) => {
      stderr += error.message;
      running.delete(child);
      resolve("error");
    });
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve(signal ?? String(code));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return { exited, output: () => ({ stdout, stderr }), stop };
}

/** Runs a command to its end, and rejects if it exits with an error or outlasts `timeoutMs`. */
export async function runToEnd(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }) {
  const started = start(command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), options.timeoutMs)));
  const ended = await Promise.race([started.exited, timedOut]);
  clearTimeout(timer);
  await started.stop();
  const { stdout, stderr } = started.output();
  if (ended === "timeout") throw new Error(`no result within ${options.timeoutMs / 1000} s. ${stderr.trim()}`.trim());
  if (ended !== "0") throw new Error(`exited with ${ended}. ${stderr.trim()}`.trim());
  return stdout;
}

/** Ends every process still running. */
export async function stopAll() {
  await Promise.all([...closers].map((close) => close().catch(() => {})));
  await Promise.all([...running].map((child) => {
    const exited = new Promise((resolve) => child.once("close", resolve));
    child.kill("SIGKILL");
    return exited;
  }));
}

/** The environment a runtime gets: a path and a home of its own, nothing of npm's or of this process's options. */
export function runtimeEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, LANG: "C.UTF-8", ...extra };
}
