/**
 * Runs the command line on a pseudo-terminal (`script` from util-linux), as
 * a person at a terminal does: stdin, stdout and stderr are all the terminal.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { selfCommand } from "../../src/cli/mod.ts";

/**
 * Runs `strongroom` with these arguments on a terminal.
 *
 * @param args Its arguments.
 * @param input What is typed, all at once (the terminal echoes it). @default ""
 * @param env More environment. @default {}
 * @returns The exit status, and the screen (what was echoed and written), with line feeds only.
 */
export function onTerminal(args: string[], input = "", env: Record<string, string> = {}): { status: number; screen: string } {
  const { command, args: full } = selfCommand(args);
  const line = [command, ...full].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
  const result = spawnSync("script", ["-qec", line, "/dev/null"], { input, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: result.status ?? -1, screen: result.stdout.replaceAll("\r", "") };
}
