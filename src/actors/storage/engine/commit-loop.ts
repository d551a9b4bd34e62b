/**
 * Group commit: requests that arrive while a write and its fsync are in
 * progress wait in a queue; when that flush ends, everything queued goes
 * into the next flush, one write and one fsync for all. A lone request
 * starts a flush at once (after the current microtasks, so that requests
 * made in the same tick join it): no timer ever waits for company.
 *
 * @module
 */

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Runs `flush` over batches of queued items, one batch at a time. */
export class CommitLoop<T> {
  #flush: (items: T[]) => Promise<void>;
  #queue: Waiting<T>[] = [];
  #running = false;
  #idle: (() => void)[] = [];

  /**
   * @param flush Writes and syncs a batch; each item's promise settles with it.
   */
  constructor(flush: (items: T[]) => Promise<void>) {
    this.#flush = flush;
  }

  /** Whether a flush runs or items wait. */
  get busy(): boolean {
    return this.#running || this.#queue.length > 0;
  }

  /**
   * Queues an item for the next flush.
   *
   * @param item The item.
   * @returns Settles when the flush that covers the item has.
   */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        queueMicrotask(() => void this.#run());
      }
    });
  }

  /** Resolves once no flush runs and nothing waits. */
  idle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.#idle.push(resolve)) : Promise.resolve();
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#flush(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.#running = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
