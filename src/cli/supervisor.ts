/**
 * Keeps one part running: starts it as a child process, and when it exits
 * without being asked to, says so and starts it again after a backoff that
 * doubles up to a ceiling and resets once the part has stayed up a while. A
 * part that exits before it was ever ready (a bad setting, a port in use, a
 * data directory held by another process) is not started again: starting it
 * again would fail the same way.
 *
 * @module
 */
import { type Child, type ChildOptions, startChild } from "./child.ts";

/** Options of {@link Supervisor}. */
export interface SupervisorOptions extends ChildOptions {
  /** Where restart notices go. */
  notice: (message: string) => void;
  /** First restart delay, in ms. @default 500 */
  minBackoff?: number;
  /** Longest restart delay, in ms. @default 10000 */
  maxBackoff?: number;
  /** Time a part must stay up for the delay to start over from `minBackoff`, in ms. @default 30000 */
  stableAfter?: number;
}

/** Runs one part and restarts it when it crashes. */
export class Supervisor {
  readonly name: string;
  #options: SupervisorOptions;
  #child: Child;
  #args: readonly string[];
  #stopping = false;
  #wasReady = false;
  #restarts = 0;
  #delay: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Starts the part at once.
   *
   * @param options The part's name, arguments, environment and output handling.
   */
  constructor(options: SupervisorOptions) {
    this.name = options.name;
    this.#options = options;
    this.#args = options.args;
    this.#delay = options.minBackoff ?? 500;
    this.#child = this.#spawn();
  }

  /** The current child process. */
  get child(): Child {
    return this.#child;
  }

  /** How many times the part was restarted. */
  get restarts(): number {
    return this.#restarts;
  }

  /**
   * Changes the arguments used for later restarts, such as a port that was
   * picked at the first start.
   *
   * @param args The new CLI arguments.
   */
  setArgs(args: readonly string[]): void {
    this.#args = args;
  }

  /**
   * Stops the part (SIGTERM, SIGKILL after `graceMs`) and restarts it no more.
   *
   * @param graceMs Time to wait before SIGKILL, in ms. @default DEFAULT_KILL_AFTER_MS
   * @returns The exit status.
   */
  async stop(graceMs?: number): Promise<number | string> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    return this.#child.stop(graceMs);
  }

  /** Kills the part at once with SIGKILL and restarts it no more. */
  kill(): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
    this.#child.process.kill("SIGKILL");
  }

  #spawn(): Child {
    const child = startChild({ ...this.#options, args: this.#args });
    const startedAt = Date.now();
    child.ready.then(() => (this.#wasReady = true), () => {});
    void child.exited.then(async (status) => {
      if (this.#stopping) return;
      // Settled once the part's last output is read, so that a ready line just before its exit counts.
      await child.ready.catch(() => {});
      if (!this.#wasReady) {
        this.#stopping = true;
        this.#options.notice(`part "${this.name}" exited with ${status} before it was ready; not restarting it`);
        return;
      }
      if (this.#stopping) return;
      const { minBackoff = 500, maxBackoff = 10_000, stableAfter = 30_000 } = this.#options;
      if (Date.now() - startedAt >= stableAfter) this.#delay = minBackoff;
      const delay = this.#delay;
      this.#delay = Math.min(this.#delay * 2, maxBackoff);
      this.#options.notice(`part "${this.name}" exited with ${status}; restarting in ${(delay / 1000).toFixed(1)} s`);
      this.#timer = setTimeout(() => {
        if (this.#stopping) return;
        this.#restarts++;
        this.#child = this.#spawn();
        void this.#child.ready.then(() => this.#options.notice(`part "${this.name}" is back (restart ${this.#restarts})`));
      }, delay);
    });
    return child;
  }
}
