import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BATCH_ITEM_OVERHEAD, batchItemBytes, expectItems, itemFailure, MAX_ITEM_MESSAGE, readItemResults } from "./batch.ts";
import { BadRequestError, NotFoundError, StorageFailedError, TooLargeError } from "./errors.ts";

describe("expectItems()", () => {
  it("returns the list, and refuses what is not a list or is over the limit", () => {
    assert.deepEqual(expectItems({ items: [] }, "items", 0), []);
    assert.deepEqual(expectItems({ items: [1, 2] }, "items", 2), [1, 2]);
    assert.throws(() => expectItems({ items: [1, 2, 3] }, "items", 2), (error: unknown) =>
      error instanceof TooLargeError && error.message === 'Invalid field "items": 3 items is over the limit of 2 a batch');
    for (const items of [undefined, "ab", { 0: 1, length: 1 }, new Uint8Array(2)]) {
      assert.throws(() => expectItems({ items }, "items", 2), (error: unknown) =>
        error instanceof BadRequestError && error.message === 'Invalid field "items": expected a list');
    }
  });
});

describe("batchItemBytes()", () => {
  it("counts the id, the data and the overhead of an item", () => {
    assert.equal(batchItemBytes(16, 1024), 16 + 1024 + BATCH_ITEM_OVERHEAD);
  });
});

describe("readItemResults()", () => {
  it("gives each result's fields, or the error class of its code, in order", () => {
    const failure = itemFailure(new NotFoundError("No record"));
    assert.deepEqual(failure, { code: "NOT_FOUND", message: "No record" });
    const [ok, failed, damaged] = readItemResults({ results: [{ key: 1 }, failure, itemFailure(new StorageFailedError("Damaged"))] }, 3);
    assert.deepEqual(ok, { key: 1 });
    assert.ok(failed instanceof NotFoundError);
    assert.equal(failed.message, "No record");
    assert.ok(damaged instanceof StorageFailedError);
  });

  it("refuses answers that are not one map per item, or failures without a known code and a bounded message", () => {
    for (const answer of [
      undefined,
      [],
      { results: {} },
      { results: [{}] },
      { results: [{}, {}, {}] },
      { results: [null, {}] },
      { results: [{ code: "toString", message: "x" }, {}] },
      { results: [{ code: "NOT_FOUND", message: 1 }, {}] },
      { results: [{ code: "NOT_FOUND", message: "x".repeat(MAX_ITEM_MESSAGE + 1) }, {}] },
    ]) {
      assert.throws(() => readItemResults(answer, 2), BadRequestError, JSON.stringify(answer));
    }
  });
});
