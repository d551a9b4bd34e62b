/**
 * The benchmark's results and how they are printed for people.
 *
 * @module
 */
import type { LoadResult } from "./load.ts";
import type { ProcessUsage } from "./process-stats.ts";

/** One measured step: one op at one size and one number of requests in flight. */
export interface StepResult extends LoadResult {
  op: string;
  /** Payload bytes per item. */
  size: number;
  inFlight: number;
  /** Items per request (1 except for batches). */
  batch: number;
  /** CPU time and peak RSS of each process during the step, by part name. */
  processes: Record<string, ProcessUsage>;
  /**
   * CPU time of each process per item, in µs (user + system over the step,
   * divided by the items done), and their sum: the figure that stays
   * comparable on a noisy, shared machine, where throughput does not.
   */
  cpuUsPerItem: Record<string, number> & { total: number };
}

/**
 * CPU µs per item of each process over a step, and their sum.
 *
 * @param processes CPU time and peak RSS of each process during the step.
 * @param items Items done in the step.
 * @returns µs per item by part name, and `total`.
 */
export function cpuPerItem(processes: Record<string, ProcessUsage>, items: number): Record<string, number> & { total: number } {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, usage] of Object.entries(processes)) {
    const us = items > 0 ? (usage.cpuMs * 1000) / items : 0;
    out[name] = us;
    total += us;
  }
  return Object.assign(out, { total });
}

/** A whole benchmark run. */
export interface BenchReport {
  /** Where and when it ran. */
  machine: { cpus: number; cpuModel: string; memory: number; node: string; runtime: string; date: string };
  steps: StepResult[];
  /** Steps left out, with why. */
  skipped: { op: string; size: number; inFlight: number; reason: string }[];
  /** Broker RSS with many idle client connections, if measured. */
  idle?: { connections: number; brokerRss: number; brokerRssBefore: number };
}

/**
 * Formats a byte count for people.
 *
 * @param bytes A count of bytes.
 * @returns Such as `64 B`, `1 KiB`, `16 MiB`.
 */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  // The largest payload, 16 MiB less a few KiB of envelope, reads better in MiB.
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

const fixed = (n: number, digits: number) => n.toFixed(digits);

/**
 * Renders the report as a text table, one line per step.
 *
 * @param report The results.
 * @returns The table and notes.
 */
export function renderReport(report: BenchReport): string {
  const names = [...new Set(report.steps.flatMap((s) => Object.keys(s.processes)))];
  const header = [
    "op", "size", "in flight", "items/s", "MB/s", "p50 ms", "p99 ms", "max ms", "errors", "cpu µs/item",
    ...names.map((n) => `${n} µs/item · cpu% · peak MB`),
  ];
  const rows = report.steps.map((s) => {
    const seconds = s.elapsedMs / 1000;
    const items = (s.ops * s.batch) / seconds;
    return [
      s.batch > 1 ? `${s.op} ×${s.batch}` : s.op,
      formatSize(s.size),
      String(s.inFlight),
      fixed(items, 0),
      fixed((items * s.size) / 1e6, 1),
      fixed(s.latency.p50, 2),
      fixed(s.latency.p99, 2),
      fixed(s.latency.max, 1),
      s.errors === 0 ? "0" : `${s.errors} ${JSON.stringify(s.errorKinds)}`,
      fixed(s.cpuUsPerItem.total, 0),
      ...names.map((n) => {
        const usage = s.processes[n];
        const us = s.cpuUsPerItem[n] ?? 0;
        return usage ? `${fixed(us, us < 10 ? 1 : 0)} · ${fixed((usage.cpuMs / s.elapsedMs) * 100, 0)}% · ${fixed(usage.peakRss / 1024 ** 2, 0)}` : "-";
      }),
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const lines = all.map((r) => r.map((c, i) => (i < 3 || i === 8 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  const { machine } = report;
  lines.unshift(
    `strongroom bench — ${machine.date}, ${machine.runtime} ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, ${fixed(machine.memory / 1024 ** 3, 0)} GiB`,
    "",
  );
  for (const skip of report.skipped) lines.push(`skipped ${skip.op} ${formatSize(skip.size)} × ${skip.inFlight}: ${skip.reason}`);
  if (report.idle) {
    lines.push(
      `broker RSS with ${report.idle.connections} idle client connections: ${fixed(report.idle.brokerRss / 1024 ** 2, 1)} MB (${fixed(report.idle.brokerRssBefore / 1024 ** 2, 1)} MB before)`,
    );
  }
  return `${lines.join("\n")}\n`;
}
