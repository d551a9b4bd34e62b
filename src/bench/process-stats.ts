/**
 * CPU time and peak memory of a process, read from Linux's `/proc`.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Resource use of one process. */
export interface ProcessUsage {
  /** User plus system CPU time, in ms, since the process started. */
  cpuMs: number;
  /** Peak resident set size, in bytes, since start or the last {@link resetPeakRss}. */
  peakRss: number;
  /** Resident set size now, in bytes. */
  rss: number;
}

const TICKS_PER_SECOND = 100;

/**
 * Reads a process's CPU time and peak RSS.
 *
 * @param pid The process id.
 * @returns The figures, or `undefined` where `/proc` cannot be read (not Linux, or the process is gone).
 */
export function processUsage(pid: number): ProcessUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, peakRss: kib("VmHWM"), rss: kib("VmRSS") };
  } catch {
    return undefined;
  }
}

/**
 * Starts the peak RSS of a process over from its current RSS, so that the
 * next reading covers one benchmark step only.
 *
 * @param pid The process id.
 * @returns Whether the kernel allowed it.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
