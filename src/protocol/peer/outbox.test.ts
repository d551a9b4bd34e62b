import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFrame } from "../../../test/_helpers/frames.ts";
import { joinParts, type Message } from "../wire/mod.ts";
import { FLUSH_BYTES, Outbox } from "./outbox.ts";

function recording(maxFrame = 1 << 24) {
  const frames: Message[][] = [];
  let turnEnds: (() => void)[] = [];
  const outbox = new Outbox((parts, messages) => {
    const read = readFrame(joinParts(parts));
    assert.equal(read.length, messages);
    frames.push(read);
  }, { maxFrame, schedule: (run) => turnEnds.push(run) });
  const endTurn = () => {
    const runs = turnEnds;
    turnEnds = [];
    for (const run of runs) run();
  };
  return { outbox, frames, endTurn };
}

describe("Outbox", () => {
  it("sends what one turn queued as one frame, once the turn is over", () => {
    const { outbox, frames, endTurn } = recording();
    for (let id = 1; id <= 5; id++) outbox.push({ t: "cancel", id });
    assert.equal(frames.length, 0);
    endTurn();
    assert.deepEqual(frames.map((f) => f.map((m) => (m as { id: number }).id)), [[1, 2, 3, 4, 5]]);
    endTurn();
    assert.equal(frames.length, 1);
  });

  it("sends a frame at once when it holds FLUSH_BYTES", () => {
    const { outbox, frames, endTurn } = recording();
    const body = new Uint8Array(1000);
    let pushed = 0;
    while (frames.length === 0) {
      outbox.push({ t: "res", id: pushed++, body });
      assert.ok(pushed < 100);
    }
    assert.ok(pushed * 1000 >= FLUSH_BYTES && (pushed - 1) * 1000 < FLUSH_BYTES + 1000);
    outbox.push({ t: "cancel", id: 1 });
    endTurn();
    assert.equal(frames.length, 2);
  });

  it("never builds a frame over the receiver's limit", () => {
    const { outbox, frames, endTurn } = recording(5000);
    for (let id = 0; id < 20; id++) outbox.push({ t: "res", id, body: new Uint8Array(1500) });
    endTurn();
    assert.ok(frames.length >= 7);
    assert.equal(frames.flat().length, 20);
  });

  it("drops what it holds when cleared", () => {
    const { outbox, frames, endTurn } = recording();
    outbox.push({ t: "cancel", id: 1 });
    outbox.clear();
    endTurn();
    assert.deepEqual(frames, []);
  });
});
