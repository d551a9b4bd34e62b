import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError } from "../protocol/wire/mod.ts";
import { type LoadClock, runLoad } from "./load.ts";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only from one timer to the next, once every promise
 * job waiting has run: a load then runs the same way on any machine, at
 * any speed, and its counts can be known exactly.
 */
class VirtualClock implements LoadClock {
  #now = 0;
  #seq = 0;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  after(ms: number, callback: () => void): Timer {
    const timer = { at: this.#now + ms, seq: this.#seq++, callback };
    this.#timers.push(timer);
    return timer;
  }

  clear(timer: unknown): void {
    this.#timers = this.#timers.filter((t) => t !== timer);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Runs timers in order of their time (then of their making) until `work` settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(() => (settled = true), () => (settled = true));
    for (;;) {
      // A macrotask turn: every promise job queued so far, and those they queue, runs first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (settled) return await work;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (!next) throw new Error("The load is waiting, and no timer is left to wake it");
      this.#now = next.at;
      next.callback();
    }
  }
}

describe("runLoad()", () => {
  it("keeps the given number of requests in flight, counts what completes in the measured time by outcome, and calls both hooks once", async () => {
    const clock = new VirtualClock();
    let active = 0;
    let peak = 0;
    const hooks: string[] = [];
    const result = await clock.run(
      runLoad({
        inFlight: 4,
        durationMs: 50,
        warmupMs: 10,
        clock,
        onMeasureStart: () => hooks.push(`start at ${clock.now()}`),
        onMeasureEnd: () => hooks.push(`end at ${clock.now()}`),
        operation: async (_, i) => {
          peak = Math.max(peak, ++active);
          await clock.sleep(1);
          active--;
          if (i % 2 === 1) throw new NotFoundError("miss");
        },
      }),
    );
    assert.equal(peak, 4);
    assert.deepEqual(hooks, ["start at 10", "end at 60"]);
    // Request i of each worker ends at i + 1 ms: those ending from 10 to 60 ms count, i = 9 … 59.
    assert.equal(result.ops, 4 * 25);
    assert.equal(result.errors, 4 * 26);
    assert.deepEqual(result.errorKinds, { NOT_FOUND: 4 * 26 });
    assert.equal(result.latency.count, result.ops);
    assert.equal(result.elapsedMs, 50);
  });

  it("stretches the measured time to the first completion when nothing completes within it", async () => {
    const clock = new VirtualClock();
    const hooks: string[] = [];
    const result = await clock.run(
      runLoad({
        inFlight: 2,
        durationMs: 5,
        clock,
        onMeasureStart: () => hooks.push(`start at ${clock.now()}`),
        onMeasureEnd: () => hooks.push(`end at ${clock.now()}`),
        operation: (worker) => clock.sleep(worker === 0 ? 60 : 120),
      }),
    );
    // The first request completes at 60 ms, well after the 5 ms asked for, and ends the step; the second one, at 120 ms, does not count.
    assert.equal(result.ops, 1);
    assert.equal(result.latency.count, 1);
    assert.equal(result.elapsedMs, 60);
    assert.deepEqual(hooks, ["start at 0", "end at 60"]);
  });
});
