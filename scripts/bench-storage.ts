/**
 * `npm run bench:storage`: measures the storage engine on this machine:
 * durable 1 KiB puts per second at 16 and 256 concurrent writers, start-up
 * time with 1M records, and the index's memory per record.
 *
 * Flags: `--records N` (default 1000000) for the start-up figure,
 * `--seconds S` (default 5) per throughput run, `--dir PATH` for the data
 * (default a temporary directory, removed at the end). `--open PATH` is the
 * start-up measurement alone, which the benchmark runs in a fresh process.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Engine, type EngineStats, openEngine, type RecoveryReport } from "../src/actors/storage/mod.ts";

const { values } = parseArgs({
  options: { records: { type: "string" }, seconds: { type: "string" }, dir: { type: "string" }, open: { type: "string" } },
});
if (values.open !== undefined) {
  let report: RecoveryReport | undefined;
  const started = performance.now();
  const engine = await openEngine(values.open, { onEvent: (e) => e.type === "opened" && (report = e) });
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, report, stats: engine.stats() }));
  await engine.close();
  process.exit(0);
}
const records = Number(values.records ?? 1_000_000);
const seconds = Number(values.seconds ?? 5);
const root = values.dir ?? mkdtempSync(join(tmpdir(), "strongroom-bench-"));
const value = new Uint8Array(randomBytes(1024));
// Keys come from one pool made up front, so that making them is not measured.
const POOL_KEYS = 1 << 21;
const pool = new Uint8Array(randomBytes(32 * POOL_KEYS));
let nextKey = 0;
function key(): Uint8Array {
  const at = (nextKey++ % POOL_KEYS) * 32;
  return pool.subarray(at, at + 32);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function throughput(engine: Engine, writers: number): Promise<number> {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < end) {
        await engine.put(key(), value);
        done++;
      }
    }),
  );
  return done / seconds;
}

print(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
print(`runtime: ${deno ? `Deno ${deno.version.deno}` : `Node ${process.version}`}`);

try {
  for (const writers of [16, 256]) {
    const dir = join(root, `writers-${writers}`);
    const engine = await openEngine(dir);
    await throughput(engine, writers); // warm-up run, not counted
    const rate = await throughput(engine, writers);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    print(`durable 1 KiB puts, ${String(writers).padStart(3)} writers: ${Math.round(rate).toLocaleString("en")} /s`);
  }

  nextKey = 0;
  const dir = join(root, "startup");
  let engine = await openEngine(dir);
  const loadStart = performance.now();
  const batch = 256;
  for (let i = 0; i < records; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, records - i) }, () => engine.put(key(), value)),
    );
  }
  print(`loaded ${records.toLocaleString("en")} records of 1 KiB in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  await engine.close();

  // Start-up is measured in a fresh process, as a real start is.
  const runtimeArgs = "Deno" in globalThis ? ["run", "-A"] : process.execArgv;
  const child = spawnSync(process.execPath, [...runtimeArgs, fileURLToPath(import.meta.url), "--open", dir], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`The start-up run failed: ${child.stderr}`);
  const opened = JSON.parse(child.stdout) as { ms: number; report: RecoveryReport; stats: EngineStats };
  const per = (bytes: number) => (bytes / opened.stats.records).toFixed(1);
  print(
    `start-up with ${opened.stats.records.toLocaleString("en")} records: ${Math.round(opened.ms)} ms ` +
      `(${opened.report.segments} segments, ${opened.report.hintedSegments} read from hints)`,
  );
  print(`index memory: ${per(opened.stats.indexBytes)} bytes/record, ${per(opened.stats.peakIndexBytes)} at peak (growth included)`);
} finally {
  if (values.dir === undefined) rmSync(root, { recursive: true, force: true });
}
