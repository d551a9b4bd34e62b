/**
 * The JavaScript runtimes strongroom runs on, and the one place that tells
 * which one this process is and where the other one's executable is.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The runtimes every part runs on. */
export const RUNTIMES = ["node", "deno"] as const;

/** A runtime: `"node"` or `"deno"`. */
export type Runtime = (typeof RUNTIMES)[number];

/**
 * Tells whether a text names a runtime.
 *
 * @param value Any text.
 * @returns `true` for `"node"` and `"deno"`.
 * @example Checking a setting
 * ```ts
 * import { isRuntime } from "./runtime.ts";
 * isRuntime("deno"); // true
 * isRuntime("bun"); // false
 * ```
 */
export function isRuntime(value: string): value is Runtime {
  return (RUNTIMES as readonly string[]).includes(value);
}

/**
 * The runtime this process runs on.
 *
 * @returns `"deno"` under Deno, else `"node"`.
 * @example Naming the runtime
 * ```ts
 * import { currentRuntime } from "./runtime.ts";
 * console.log(`running on ${currentRuntime()}`);
 * ```
 */
export function currentRuntime(): Runtime {
  return "Deno" in globalThis ? "deno" : "node";
}

/**
 * The executable of a runtime: this process's own for the runtime it runs
 * on; for Deno from Node, the binary of the `deno` npm package (a dev
 * dependency) or else `deno` on the `PATH`; for Node from Deno, `node` on the
 * `PATH`.
 *
 * @param runtime The runtime.
 * @returns A path or a command name.
 * @example Asking Deno its version
 * ```ts
 * import { execFileSync } from "node:child_process";
 * import { runtimeExecutable } from "./runtime.ts";
 * execFileSync(runtimeExecutable("deno"), ["--version"], { encoding: "utf8" });
 * ```
 */
export function runtimeExecutable(runtime: Runtime): string {
  if (runtime === currentRuntime()) return process.execPath;
  if (runtime === "node") return "node";
  try {
    // The package's install step puts the binary of this platform next to its package.json.
    const packageDir = dirname(createRequire(import.meta.url).resolve("deno/package.json"));
    const binary = join(packageDir, process.platform === "win32" ? "deno.exe" : "deno");
    if (existsSync(binary)) return binary;
  } catch {
    // Not installed (a production install omits dev dependencies): fall back to the PATH.
  }
  return "deno";
}

/**
 * The command that runs a TypeScript program of this repository on a
 * runtime: `deno run -A file`, or `node --import tsx file`.
 *
 * @param runtime The runtime.
 * @param file Absolute path of the `.ts` program.
 * @param args Arguments of the program.
 * @returns The executable and its arguments.
 * @example Building the page on Deno
 * ```ts
 * import { spawnSync } from "node:child_process";
 * import { scriptCommand } from "./runtime.ts";
 * const { command, args } = scriptCommand("deno", "/path/to/scripts/build-web.ts", []);
 * spawnSync(command, args, { stdio: "inherit" });
 * ```
 */
export function scriptCommand(runtime: Runtime, file: string, args: readonly string[]): { command: string; args: string[] } {
  const command = runtimeExecutable(runtime);
  if (runtime === "deno") return { command, args: ["run", "-A", file, ...args] };
  // Resolved here rather than by Node from the working directory, which may be anywhere.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return { command, args: ["--import", tsx, file, ...args] };
}
