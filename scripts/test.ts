/**
 * `npm test`: runs every `*.test.ts` file under `src/` and `test/` with
 * node:test, each file in its own process.
 *
 * Arguments are passed to the runner; file paths narrow the run.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith(".test.ts")) found.push(relative(root, path));
  }
  return found;
}

const args = process.argv.slice(2);
const files = args.filter((arg) => arg.endsWith(".ts"));
const flags = args.filter((arg) => !arg.endsWith(".ts"));
const tests = files.length > 0 ? files : ["src", "test"].flatMap((dir) => findTests(join(root, dir))).sort();

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000", ...flags, ...tests],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
