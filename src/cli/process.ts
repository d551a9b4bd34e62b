/**
 * Process plumbing for the parts: how to start this program again as a
 * child, how to notice that the parent went away, how to stop on a signal.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { currentRuntime, type Runtime, runtimeExecutable, scriptCommand } from "./runtime.ts";

const SCRIPTS = new URL("../../scripts/", import.meta.url);

/**
 * The command that runs the `strongroom` CLI again with other arguments, on
 * the runtime this process runs on or on another one.
 *
 * @param args CLI arguments, such as `["broker", "--port", "0"]`.
 * @param runtime The runtime to run it on. @default the runtime of this process
 * @returns The executable and its arguments.
 */
export function selfCommand(args: readonly string[], runtime: Runtime = currentRuntime()): { command: string; args: string[] } {
  if (runtime === "deno") return scriptCommand("deno", fileURLToPath(new URL("strongroom.ts", SCRIPTS)), args);
  return { command: runtimeExecutable("node"), args: [fileURLToPath(new URL("bin.js", SCRIPTS)), ...args] };
}

/**
 * Calls `onGone` once when this process's parent exits (it is then adopted
 * by another process). `npm start` runs the launcher under `sh`, and a
 * signal to npm may never reach it; this is how it still stops.
 *
 * @param onGone Called once.
 * @param intervalMs How often to look. @default 500
 */
export function watchParent(onGone: () => void, intervalMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
}

/**
 * Runs `stop` once on the first SIGINT or SIGTERM (or when the parent goes
 * away, for parts started by the launcher), then exits with its status. A
 * second signal runs `force` and exits at once with status 130.
 *
 * @param stop Stops the part; resolves to the exit status.
 * @param force Kills what `stop` was waiting for. @default nothing
 */
export function onShutdown(stop: () => Promise<number>, force: () => void = () => {}): void {
  let stopping = false;
  const handler = () => {
    if (stopping) {
      force();
      process.exit(130);
    }
    stopping = true;
    stop().then(
      (status) => process.exit(status),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  if (process.env.STRONGROOM_WATCH_PARENT === "1") watchParent(handler);
}

/**
 * Makes a write past the file size limit (`ulimit -f`) fail with `EFBIG`, so
 * that the storage actor answers `STORAGE_FAILED` and goes on, rather than
 * die of SIGXFSZ: Node ignores that signal, Deno by default does not. (Deno
 * may still die of it while it exits, writing caches of its own past a limit
 * that was set before it started.)
 *
 * @example At the start of a part that writes files
 * ```ts
 * import { surviveFileSizeLimit } from "./process.ts";
 * surviveFileSizeLimit();
 * ```
 */
export function surviveFileSizeLimit(): void {
  if (currentRuntime() === "deno") process.on("SIGXFSZ", () => {});
}
