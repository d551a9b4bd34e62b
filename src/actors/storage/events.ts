/**
 * Turns the engine's lifecycle events into log lines. Counts and sizes
 * only: no locator or value ever reaches a log.
 *
 * @module
 */
import type { Logger } from "../../protocol/peer/mod.ts";
import type { EngineEvent } from "./engine/mod.ts";

/**
 * Logs one engine event at a fitting level.
 *
 * @param logger Where the line goes.
 * @param event The event.
 */
export function logEngineEvent(logger: Logger, event: EngineEvent): void {
  switch (event.type) {
    case "opened": {
      const { type: _, staleLockOwner, ...report } = event;
      if (staleLockOwner !== undefined) {
        logger.warn("Took over the data directory from a storage process that is gone", { pid: staleLockOwner });
      }
      if (report.truncatedBytes > 0 || report.damagedRuns > 0 || report.damagedBytes > 0) {
        logger.warn("Recovery skipped damaged bytes", {
          truncatedBytes: report.truncatedBytes,
          damagedRuns: report.damagedRuns,
          damagedBytes: report.damagedBytes,
        });
      }
      logger.info("Data directory opened", report);
      return;
    }
    case "compacted": {
      const { type: _, ...result } = event;
      const level = result.lostRecords > 0 ? "warn" : "info";
      logger[level]("Compaction finished", result);
      return;
    }
    case "compaction-failed":
      logger.warn("Compaction failed; the old segments stay in use", { error: describe(event.error) });
      return;
    case "hint-failed":
      logger.warn("Cannot write a hint file; start-up will scan the segment", { segment: event.segment, error: describe(event.error) });
      return;
    case "failed":
      logger.error("Storage engine stopped", { error: describe(event.error.cause ?? event.error) });
      return;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === "string" ? ` ${code}` : ""}: ${error.message}`;
}
