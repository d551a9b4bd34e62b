import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planReads, type RecordAt } from "./read-runs.ts";

const at = (index: number, segment: number, offset: number, length: number): RecordAt => ({ index, segment, offset, length });
const shape = (runs: ReturnType<typeof planReads>) => runs.map((r) => [r.segment, r.offset, r.length, r.records.map((x) => x.index)]);

describe("planReads()", () => {
  it("reads neighbours of one segment together, in file order, whatever order they were asked in", () => {
    const runs = planReads([at(0, 2, 300, 100), at(1, 2, 16, 100), at(2, 2, 116, 184), at(3, 4, 16, 10)]);
    assert.deepEqual(shape(runs), [[2, 16, 384, [1, 2, 0]], [4, 16, 10, [3]]]);
  });

  it("reads across a small gap but not a large one", () => {
    assert.deepEqual(shape(planReads([at(0, 2, 0, 10), at(1, 2, 20, 10), at(2, 2, 100, 10)], { maxGap: 10 })), [
      [2, 0, 30, [0, 1]],
      [2, 100, 10, [2]],
    ]);
  });

  it("starts a new read past the largest read, and reads a record larger than that alone", () => {
    const runs = planReads([at(0, 2, 0, 40), at(1, 2, 40, 40), at(2, 2, 80, 40), at(3, 2, 120, 500)], { maxRun: 100 });
    assert.deepEqual(shape(runs), [[2, 0, 80, [0, 1]], [2, 80, 40, [2]], [2, 120, 500, [3]]]);
  });

  it("plans nothing for nothing, and never mixes segments", () => {
    assert.deepEqual(planReads([]), []);
    assert.deepEqual(shape(planReads([at(0, 2, 16, 10), at(1, 3, 26, 10)])), [[2, 16, 10, [0]], [3, 26, 10, [1]]]);
  });
});
