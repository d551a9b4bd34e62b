/**
 * One part started as a child process of this program: its output passed on
 * line by line with its name in front, its ready line awaited, its stop
 * requested with SIGTERM and forced with SIGKILL after a grace period.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { DEFAULT_GRACE_MS } from "./broker-settings.ts";
import { READY_PREFIX } from "./ready-line.ts";
import { selfCommand } from "./process.ts";
import type { Runtime } from "./runtime.ts";

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Name shown in front of each output line. */
  name: string;
  /** CLI arguments of the part, such as `["broker", "--port", "0"]`. */
  args: readonly string[];
  /** Environment of the child. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Receives each output line, already prefixed. @default writes to this process's stdout or stderr */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** Width the name is padded to. @default name.length */
  nameWidth?: number;
  /** Runtime the part runs on. @default the runtime of this process */
  runtime?: Runtime;
}

/**
 * Time a part gets past its own grace period to close its connections and
 * files and exit, before it is killed, in ms.
 */
export const KILL_MARGIN_MS = 5000;

/** Time before a stopping part is killed when not told otherwise: the parts' default grace, plus the margin. */
export const DEFAULT_KILL_AFTER_MS = DEFAULT_GRACE_MS + KILL_MARGIN_MS;

// Longest wait, after a part's exit, for the rest of its output.
const OUTPUT_GRACE_MS = 1000;

/** A part that exited before it said it was ready; its own message went to its output. */
export class PartExitError extends Error {
  /** The part's name. */
  readonly part: string;
  /** Its exit code, or the name of the signal that ended it. */
  readonly status: number | string;

  /**
   * @param part The part's name.
   * @param status Its exit code or signal.
   */
  constructor(part: string, status: number | string) {
    super(`Part "${part}" exited with ${status} before it was ready`);
    this.name = "PartExitError";
    this.part = part;
    this.status = status;
  }
}

/** A part running as a child process. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves to the part's ready line; rejects if it exits first. */
  readonly ready: Promise<string>;
  /** Resolves to the exit code (or the signal's name) once the child has exited. */
  readonly exited: Promise<number | string>;
  /**
   * Sends a signal to the child, unless it has exited. Use this rather than
   * `process.kill()`: on Deno, a child killed through its `ChildProcess`
   * reports the signal as its exit status even when it handled the signal
   * and exited with a code of its own.
   *
   * @param signal The signal's name.
   */
  kill(signal: NodeJS.Signals): void;
  /**
   * Asks the child to stop with SIGTERM and waits; SIGKILL after `graceMs`.
   *
   * @param graceMs Time to wait before SIGKILL, in ms: longer than the part's own grace. @default DEFAULT_KILL_AFTER_MS
   */
  stop(graceMs?: number): Promise<number | string>;
}

/**
 * Starts a part as a child process, in its own process group so that a
 * Ctrl-C at the terminal reaches only the launcher, which then stops the
 * parts in order.
 *
 * @param options Name, arguments, environment.
 * @returns The running child.
 */
export function startChild(options: ChildOptions): Child {
  const { name, args, env = process.env, nameWidth = name.length, runtime } = options;
  const { command, args: fullArgs } = selfCommand(args, runtime);
  const child = spawn(command, fullArgs, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const label = `${name.padEnd(nameWidth)} |`;
  const onLine = options.onLine ?? ((line, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(`${line}\n`));

  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    // A runtime that is not installed: no process, no exit event, only this.
    child.once("error", (error) => {
      if (child.pid === undefined) resolve(`an error, as "${command}" could not be started (${error.message})`);
    });
  });
  const ready = new Promise<string>((resolve, reject) => {
    const output = createInterface({ input: child.stdout! });
    output.on("line", (line) => {
      if (line.startsWith(`${READY_PREFIX} `)) resolve(line);
      onLine(`${label} ${line}`, "stdout");
    });
    createInterface({ input: child.stderr! }).on("line", (line) => onLine(`${label} ${line}`, "stderr"));
    // The exit can be reported before the last lines are read: a ready line among them still counts.
    const outputEnded = new Promise((done) => output.once("close", done));
    void exited.then(async (status) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([outputEnded, new Promise((done) => (timer = setTimeout(done, OUTPUT_GRACE_MS)))]);
      clearTimeout(timer);
      reject(new PartExitError(name, status));
    });
  });
  ready.catch(() => {});
  // Set as the exit is reported, so that no signal goes to a PID that may already be reused.
  let gone = false;
  child.once("exit", () => (gone = true));
  const kill = (signal: NodeJS.Signals) => {
    if (gone || child.pid === undefined) return;
    try {
      process.kill(child.pid, signal);
    } catch {
      // It exited a moment ago and its exit is not reported yet.
    }
  };

  return {
    name,
    process: child,
    ready,
    exited,
    kill,
    async stop(graceMs = DEFAULT_KILL_AFTER_MS) {
      if (!gone) {
        kill("SIGTERM");
        const timer = setTimeout(() => kill("SIGKILL"), graceMs);
        const status = await exited;
        clearTimeout(timer);
        return status;
      }
      return exited;
    },
  };
}
