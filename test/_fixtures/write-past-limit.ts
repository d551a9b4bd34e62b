/**
 * Run as a program with a path and `guarded` or `unguarded`: lowers its own
 * file size limit to 64 KiB, then writes 1 MiB to the path and prints the
 * error code it got (or `written`). With `guarded`, it first calls
 * `surviveFileSizeLimit()`.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { surviveFileSizeLimit } from "../../src/cli/process.ts";

const [path, mode] = process.argv.slice(2);
if (mode === "guarded") surviveFileSizeLimit();
// Lowered only now, so that what the runtime writes while starting (Deno's caches) is not cut.
execFileSync("prlimit", ["--pid", String(process.pid), "--fsize=65536"]);
try {
  writeFileSync(path!, new Uint8Array(1 << 20));
  console.log("written");
} catch (error) {
  console.log((error as NodeJS.ErrnoException).code);
}
