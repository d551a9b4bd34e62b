/**
 * `npm run crash-test -- --kills N [--writers N]`: SIGKILLs a real storage
 * process N times under writers and checks that it kept every promise
 * (`src/bench/crash-test.ts`). Prints the counts; exits 1 on any violation.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runCrashTest } from "../src/bench/crash-test.ts";

const { values } = parseArgs({ options: { kills: { type: "string" }, writers: { type: "string" } } });
const result = await runCrashTest({
  kills: values.kills === undefined ? undefined : Number(values.kills),
  writers: values.writers === undefined ? undefined : Number(values.writers),
  log: (line) => process.stdout.write(`${line}\n`),
});
const { violations, ...counts } = result;
for (const [name, count] of Object.entries(counts)) process.stdout.write(`${name.padEnd(20)} ${count}\n`);
for (const violation of violations) process.stdout.write(`VIOLATION ${violation}\n`);
process.stdout.write(violations.length === 0 ? "crash test passed\n" : `crash test FAILED: ${violations.length} violations\n`);
process.exit(violations.length === 0 ? 0 : 1);
