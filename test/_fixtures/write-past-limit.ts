/**
 * Run as a program with a path and `guarded` or `unguarded`: lowers its own
 * file size limit to 64 KiB, writes 1 MiB to the path and prints the error
 * code it got (or `written`), then lifts the limit again. With `guarded`, it first calls
 * `surviveFileSizeLimit()`.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { surviveFileSizeLimit } from "../../src/cli/process.ts";

const [path, mode] = process.argv.slice(2);
if (mode === "guarded") surviveFileSizeLimit();
// The (soft) limit holds around this one write only: Deno writes caches of its own as it starts and
// exits, and those must not meet it.
const limit = (size: string) => execFileSync("prlimit", ["--pid", String(process.pid), `--fsize=${size}`]);
limit("65536:");
try {
  writeFileSync(path!, new Uint8Array(1 << 20));
  console.log("written");
} catch (error) {
  console.log((error as NodeJS.ErrnoException).code);
} finally {
  limit("unlimited:");
}
