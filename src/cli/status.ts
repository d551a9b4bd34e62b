/**
 * The tables of `strongroom status` (and of the REPL's `status`): the
 * actors by role, and the broker's counters.
 *
 * @module
 */
import type { ActorsReport, StatsReport } from "../client/mod.ts";

const HEADER = ["ROLE", "QUEUED", "ACTOR", "STATE", "CONCURRENCY", "IN FLIGHT", "SERVED", "FAILED", "UP"];
const NUMERIC = new Set(["QUEUED", "CONCURRENCY", "IN FLIGHT", "SERVED", "FAILED", "UP"]);

/**
 * Lays out the answers of `$broker` for people.
 *
 * @param actors The answer of `$broker.actors`.
 * @param stats The answer of `$broker.stats`.
 * @returns A table of actors by role, then a summary of the broker.
 * @example
 * ```ts
 * import { formatStatus } from "./status.ts";
 * formatStatus({ roles: [] }, { uptime: 1, connections: { clients: 1, actors: 0 }, requests: {}, inFlight: 0, queued: 0, memory: { rss: 1, heapUsed: 1 } });
 * ```
 */
export function formatStatus(actors: ActorsReport, stats: StatsReport): string {
  return `${formatActors(actors)}\n${formatStats(stats)}`;
}

/**
 * Lays out the answer of `$broker.actors`: one row per actor under its role.
 *
 * @param actors The answer of `$broker.actors`.
 * @returns The table, one line per row, ending with a newline.
 */
export function formatActors(actors: ActorsReport): string {
  const rows: string[][] = [];
  for (const role of [...actors.roles].sort((a, b) => a.role.localeCompare(b.role))) {
    const queued = String(role.queued);
    if (role.actors.length === 0) rows.push([printable(role.role), queued, "-", "none", "", "", "", "", ""]);
    [...role.actors]
      .sort((a, b) => a.name.localeCompare(b.name))
      .forEach((actor, i) =>
        rows.push([
          i === 0 ? printable(role.role) : "",
          i === 0 ? queued : "",
          printable(actor.name),
          actor.draining ? "draining" : "ready",
          String(actor.concurrency),
          String(actor.inFlight),
          String(actor.served),
          String(actor.failed),
          duration(actor.uptime),
        ]),
      );
  }
  return `${(rows.length > 0 ? table([HEADER, ...rows]) : ["No actor has registered."]).join("\n")}\n`;
}

/**
 * Lays out the answer of `$broker.stats`: uptime, connections, requests by outcome.
 *
 * @param stats The answer of `$broker.stats`.
 * @returns Two lines, ending with a newline.
 */
export function formatStats(stats: StatsReport): string {
  const { clients, actors: actorCount } = stats.connections;
  const outcomes = Object.entries(stats.requests).sort(([a], [b]) => (a === "ok" ? -1 : b === "ok" ? 1 : a.localeCompare(b)));
  return [
    `broker    up ${duration(stats.uptime)}, ${plural(clients, "client")} and ${plural(actorCount, "actor")} connected, ${stats.inFlight} in flight, ${stats.queued} queued, ${mebibytes(stats.memory.rss)} resident`,
    `requests  ${outcomes.length > 0 ? outcomes.map(([outcome, n]) => `${outcome} ${n}`).join(", ") : "none yet"}`,
    "",
  ].join("\n");
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (NUMERIC.has(rows[0]![column]!) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
}

// Names come from peers: keep control characters out of the terminal.
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
