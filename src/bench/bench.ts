/**
 * The benchmark of `npm run bench` (`strongroom bench`): starts a real cluster, every part its
 * own process (or uses `--url`), and drives `store` and `retrieve` at each
 * payload size and number of requests in flight for a fixed time after a
 * warm-up (and, once before the first step, a longer one of the whole path), then `storeMany` and `retrieveMany` with batches of `--batch`
 * items of `--batch-size` bytes at each number in flight. Prints a table (or JSON with `--json`) with throughput, latency,
 * errors, and each process's CPU µs per item, share of a core and peak RSS.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { cpus, totalmem } from "node:os";
import { type Cluster, startCluster } from "../cli/cluster.ts";
import { connect, type ItemResult, type SocketFactory, type StrongroomClient } from "../client/mod.ts";
import { batchItemBytes } from "../protocol/wire/mod.ts";
import { runLoad } from "./load.ts";
import { processUsage, type ProcessUsage, resetPeakRss } from "./process-stats.ts";
import { type BenchReport, cpuPerItem, formatSize, renderReport, type StepResult } from "./report.ts";

/** Most payload bytes a step may keep in flight; larger steps are skipped, not run out of memory. */
const IN_FLIGHT_BUDGET = 512 * 1024 ** 2;
const IDLE_CONNECTIONS = 1000;

/** Options of {@link runBench}: what to measure, and where. */
export interface BenchOptions {
  /** Payload sizes of the single steps, in bytes. */
  sizes: readonly number[];
  /** Requests in flight of each step. */
  inFlight: readonly number[];
  /** Measured time of each step, in ms. */
  duration: number;
  /** Warm-up before each step, in ms. */
  warmup: number;
  /** Items per batch of the batch steps; 0 skips them. */
  batch: number;
  /** Payload bytes of each item of the batch steps. */
  batchSize: number;
  /** Encryptor processes of the cluster it starts. */
  encryptors: number;
  /** A running service to measure instead of a cluster it starts. */
  url: string | undefined;
  /** Client token for `url`. */
  token: string | undefined;
  /** Socket factory that trusts the certificates of `url`. @default the client's */
  socketFactory: SocketFactory | undefined;
  /** JSON rather than a table. */
  json: boolean;
}

/**
 * Runs the benchmark and prints its report on stdout, progress on stderr.
 *
 * @param settings Sizes, in-flight counts, duration, warm-up, encryptors, URL, JSON output.
 */
export async function runBench(settings: BenchOptions): Promise<void> {
  const progress = (text: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
    else process.stderr.write(`${text}\n`);
  };
  let cluster: Cluster | undefined;
  if (settings.url === undefined) {
    progress(`starting a cluster with ${settings.encryptors} encryptor(s)…`);
    cluster = await startCluster({ encryptors: settings.encryptors });
  }
  const url = cluster?.url ?? settings.url!;
  const pids: Record<string, number> = {};
  if (cluster) {
    for (const name of ["broker", "storage", ...Array.from({ length: settings.encryptors }, (_, i) => `encryptor-${i + 1}`)]) {
      pids[name] = cluster.part(name).process.pid!;
    }
  }
  pids.client = process.pid;

  const { socketFactory } = settings;
  const client = await connect(url, { token: settings.token, timeout: 60_000, name: "bench", socketFactory });
  const report: BenchReport = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? "unknown",
      memory: totalmem(),
      node: process.version,
      runtime: "Deno" in globalThis ? "deno" : "node",
      date: new Date().toISOString(),
    },
    steps: [],
    skipped: [],
  };
  try {
    // Idle connections first, while the broker has not yet grown its heap under load.
    if (cluster) report.idle = await idleConnections(url, settings.token, socketFactory, pids.broker!, progress);
    // Fresh processes run their code unoptimized for the first thousands of requests, which
    // only the first step would pay for: warm the whole path up once, unmeasured, at mixed load.
    progress("warming up…");
    await warmUp(client, settings.warmup * 3);
    // The largest payload is 16 MiB less the envelope: a "16m" step stores that much.
    const sizes = settings.sizes.map((size) => Math.min(size, client.maxPayload));
    const total = (sizes.length + (settings.batch > 0 ? 1 : 0)) * settings.inFlight.length * 2;
    for (const size of sizes) {
      const payload = randomBytes(size);
      for (const inFlight of settings.inFlight) {
        if (size * inFlight > IN_FLIGHT_BUDGET) {
          for (const op of ["store", "retrieve"]) {
            report.skipped.push({ op, size, inFlight, reason: `${formatSize(size * inFlight)} in flight is over the ${formatSize(IN_FLIGHT_BUDGET)} budget` });
          }
          continue;
        }
        // Records for the retrieve step, one per worker so that reads spread over the data.
        const records = await Promise.all(
          Array.from({ length: Math.min(inFlight, 64) }, async (_, i) => {
            const id = `bench-${size}-${inFlight}-${i}`;
            return { id, key: await client.store(id, payload) };
          }),
        );
        const steps = {
          store: (worker: number, i: number) => client.store(`bench-${worker}-${i}`, payload).then(() => {}),
          retrieve: (worker: number) => {
            const record = records[worker % records.length]!;
            return client.retrieve(record.id, record.key).then(() => {});
          },
        };
        for (const [op, operation] of Object.entries(steps)) {
          progress(`[${report.steps.length + report.skipped.length + 1}/${total}] ${op} ${formatSize(size)} × ${inFlight}…`);
          report.steps.push(await measure(op, size, inFlight, 1, pids, (onMeasureStart, onMeasureEnd) =>
            runLoad({ inFlight, durationMs: settings.duration, warmupMs: settings.warmup, operation, onMeasureStart, onMeasureEnd })));
        }
      }
    }
    if (settings.batch > 0) {
      await batchSteps(client, settings, pids, report, (op, size, inFlight) =>
        progress(`[${report.steps.length + report.skipped.length + 1}/${total}] ${op} ${settings.batch} × ${formatSize(size)} × ${inFlight}…`));
    }
  } finally {
    progress("");
    await client.close();
    await cluster?.stop();
  }
  process.stdout.write(settings.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
}

// Stores and retrieves 1 KiB records at 16 in flight for `ms`, results unused.
async function warmUp(client: StrongroomClient, ms: number): Promise<void> {
  const payload = randomBytes(1024);
  const key = await client.store("bench-warm-up", payload);
  await runLoad({
    inFlight: 16,
    durationMs: ms,
    operation: (worker, i) =>
      (i % 2 === 0 ? client.store(`bench-warm-up-${worker}`, payload) : client.retrieve("bench-warm-up", key)).then(() => {}),
  });
}

// Batches of `settings.batch` items of `settings.batchSize` bytes, stored and
// retrieved at each number in flight; an item that fails counts the whole
// request as an error.
async function batchSteps(
  client: StrongroomClient,
  settings: BenchOptions,
  pids: Record<string, number>,
  report: BenchReport,
  progress: (op: string, size: number, inFlight: number) => void,
): Promise<void> {
  const { batch } = settings;
  const size = Math.min(settings.batchSize, client.maxPayload);
  const payload = new Uint8Array(randomBytes(size));
  const ids = Array.from({ length: batch }, (_, j) => new TextEncoder().encode(`bench-batch-${j}`));
  const storeItems = ids.map((id) => ({ id, payload }));
  const batchBytes = ids.reduce((sum, id) => sum + batchItemBytes(id.byteLength, size), 0);
  const allOk = <T>(results: ItemResult<T>[]) => {
    for (const result of results) if (!result.ok) throw result.error;
    return results as ({ ok: true } & T)[];
  };
  for (const inFlight of settings.inFlight) {
    const reason =
      batchBytes > client.maxPayload
        ? `a batch of ${batch} × ${formatSize(size)} is over the frame limit`
        : batch * size * inFlight > IN_FLIGHT_BUDGET
          ? `${formatSize(batch * size * inFlight)} in flight is over the ${formatSize(IN_FLIGHT_BUDGET)} budget`
          : undefined;
    if (reason) {
      for (const op of ["storeMany", "retrieveMany"]) report.skipped.push({ op, size, inFlight, reason });
      continue;
    }
    const keys = allOk(await client.storeMany(storeItems)).map((result) => result.key);
    const retrieveItems = ids.map((id, j) => ({ id, key: keys[j]! }));
    const steps = {
      storeMany: () => client.storeMany(storeItems).then(allOk).then(() => {}),
      retrieveMany: () => client.retrieveMany(retrieveItems).then(allOk).then(() => {}),
    };
    for (const [op, operation] of Object.entries(steps)) {
      progress(op, size, inFlight);
      report.steps.push(await measure(op, size, inFlight, batch, pids, (onMeasureStart, onMeasureEnd) =>
        runLoad({ inFlight, durationMs: settings.duration, warmupMs: settings.warmup, operation, onMeasureStart, onMeasureEnd })));
    }
  }
}

async function measure(
  op: string,
  size: number,
  inFlight: number,
  batch: number,
  pids: Record<string, number>,
  run: (onMeasureStart: () => void, onMeasureEnd: () => void) => ReturnType<typeof runLoad>,
): Promise<StepResult> {
  // Usage is read when the warm-up ends and when the measured time ends, so that it covers that time only.
  const before: Record<string, ProcessUsage | undefined> = {};
  const processes: Record<string, ProcessUsage> = {};
  const result = await run(
    () => {
      for (const [name, pid] of Object.entries(pids)) {
        before[name] = processUsage(pid);
        resetPeakRss(pid);
      }
    },
    () => {
      for (const [name, pid] of Object.entries(pids)) {
        const after = processUsage(pid);
        const start = before[name];
        if (after && start) processes[name] = { ...after, cpuMs: after.cpuMs - start.cpuMs };
      }
    },
  );
  return { ...result, op, size, inFlight, batch, processes, cpuUsPerItem: cpuPerItem(processes, result.ops * batch) };
}

async function idleConnections(
  url: string,
  token: string | undefined,
  socketFactory: SocketFactory | undefined,
  brokerPid: number,
  progress: (text: string) => void,
): Promise<BenchReport["idle"]> {
  progress(`opening ${IDLE_CONNECTIONS} idle connections…`);
  const brokerRssBefore = processUsage(brokerPid)?.rss ?? 0;
  const clients: StrongroomClient[] = [];
  try {
    for (let i = 0; i < IDLE_CONNECTIONS; i += 50) {
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(url, { token, name: "idle", socketFactory })))));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { connections: clients.length, brokerRss: processUsage(brokerPid)?.rss ?? 0, brokerRssBefore };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
