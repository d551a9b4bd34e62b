/**
 * `npm test`: runs every `*.test.ts` file under `src/` and `test/` on Node
 * (node:test, each file in its own process) and then the same files on Deno
 * (`deno test`, whose node:test support runs them as they are). Each run
 * writes a JUnit report to `.test-artifacts/`; the last lines sum them up,
 * and the exit status is non-zero when either run fails or runs no test.
 *
 * Arguments: `--runtime=node` or `--runtime=deno` runs one runtime only;
 * file paths narrow the run; other flags go to the runners as they are.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isRuntime, type Runtime, RUNTIMES, runtimeExecutable } from "../src/cli/runtime.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const artifacts = join(root, ".test-artifacts");
// A run that takes this long is stuck: node:test times out single tests, deno test does not.
const RUN_DEADLINE_MS = 15 * 60_000;

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith(".test.ts")) found.push(relative(root, path));
  }
  return found;
}

function runnerArgs(runtime: Runtime, report: string, flags: string[], tests: string[]): string[] {
  if (runtime === "node") {
    return [
      "--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=120000",
      "--test-reporter=spec", "--test-reporter-destination=stdout",
      "--test-reporter=junit", `--test-reporter-destination=${report}`,
      ...flags, ...tests,
    ];
  }
  return ["test", "-A", "--parallel", `--junit-path=${report}`, ...flags, ...tests];
}

/** Counts passed, failed and skipped tests in a JUnit report of either runner. */
function countReport(path: string): { passed: number; failed: number; skipped: number } {
  let xml: string;
  try {
    xml = readFileSync(path, "utf8");
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
  const cases = [...xml.matchAll(/<testcase\s+name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    name: m[1]!.replaceAll("&gt;", ">"),
    body: m[2] ?? "",
  }));
  // Deno reports a describe() as a test whose it()s are steps named "describe > it": count leaves only.
  const parents = new Set(cases.flatMap((c) => c.name.split(" > ").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join(" > "))));
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const testCase of cases) {
    if (parents.has(testCase.name)) continue;
    if (testCase.body.includes("<failure")) counts.failed++;
    else if (testCase.body.includes("<skipped")) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

function run(runtime: Runtime, flags: string[], tests: string[]): Promise<{ status: number; passed: number; failed: number; skipped: number }> {
  const report = join(artifacts, `junit-${runtime}.xml`);
  rmSync(report, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DENO_JOBS: process.env.DENO_JOBS ?? "2" };
  if (!process.stdout.isTTY) env.NO_COLOR = "1";
  process.stdout.write(`\n=== ${runtime}: ${tests.length} test files ===\n`);
  const child = spawn(runtimeExecutable(runtime), runnerArgs(runtime, report, flags, tests), {
    cwd: root,
    env,
    stdio: "inherit",
    detached: true,
  });
  const timer = setTimeout(() => {
    process.stderr.write(`${runtime}: the run is still going after ${RUN_DEADLINE_MS / 60_000} minutes; stopping it\n`);
    process.kill(-child.pid!, "SIGKILL");
  }, RUN_DEADLINE_MS);
  // The runner has its own process group (so that the deadline stops all of it): pass Ctrl-C and SIGTERM on.
  const forward = (signal: NodeJS.Signals) => {
    process.kill(-child.pid!, signal);
    child.once("exit", () => process.exit(130));
  };
  process.once("SIGINT", forward);
  process.once("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve({ status: code ?? (signal ? 1 : 0), ...countReport(report) });
    });
  });
}

const args = process.argv.slice(2);
const runtimeFlag = args.find((arg) => arg.startsWith("--runtime="))?.slice("--runtime=".length);
if (runtimeFlag !== undefined && !isRuntime(runtimeFlag)) {
  process.stderr.write(`Invalid --runtime "${runtimeFlag}": expected one of ${RUNTIMES.join(", ")}\n`);
  process.exit(2);
}
const runtimes: readonly Runtime[] = runtimeFlag ? [runtimeFlag] : RUNTIMES;
const files = args.filter((arg) => arg.endsWith(".ts"));
const flags = args.filter((arg) => !arg.endsWith(".ts") && !arg.startsWith("--runtime="));
const tests = files.length > 0 ? files : ["src", "test"].flatMap((dir) => findTests(join(root, dir))).sort();
mkdirSync(artifacts, { recursive: true });

const results: { runtime: Runtime; status: number; passed: number; failed: number; skipped: number }[] = [];
for (const runtime of runtimes) results.push({ runtime, ...(await run(runtime, flags, tests)) });

process.stdout.write("\n");
let ok = true;
for (const { runtime, status, passed, failed, skipped } of results) {
  const verdict = status !== 0 ? ` (exit status ${status})` : passed === 0 ? " (no test ran)" : "";
  if (status !== 0 || failed > 0 || passed === 0) ok = false;
  process.stdout.write(`${runtime}: ${passed} passed, ${failed} failed, ${skipped} skipped${verdict}\n`);
}
const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
// A run that failed without a failed test in its report (a crash, a type error) still counts as one failure.
const failed = Math.max(total.failed, ok ? 0 : 1);
process.stdout.write(`total: ${total.passed} passed, ${failed} failed, ${total.skipped} skipped\n`);
process.exit(ok ? 0 : 1);
