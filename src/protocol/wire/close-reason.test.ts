import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../../../test/_helpers/fuzz-frames.ts";
import { closeReason, MAX_CLOSE_REASON_BYTES } from "./close-reason.ts";

const bytesOf = (text: string) => new TextEncoder().encode(text).length;

describe("closeReason()", () => {
  it("keeps a message that fits as it is", () => {
    for (const message of ["", "No hello in time", "x".repeat(123), "€".repeat(41), "𝄞".repeat(30) + "abc"]) {
      assert.equal(closeReason(message), message);
    }
  });

  it("cuts a longer message to at most 123 bytes of UTF-8, between characters", () => {
    assert.equal(closeReason("x".repeat(124)), "x".repeat(123));
    assert.equal(closeReason("€".repeat(64)), "€".repeat(41)); // 3 bytes each: 123
    assert.equal(closeReason("a" + "€".repeat(64)), "a" + "€".repeat(40)); // 121: one more € would make 124
    assert.equal(closeReason("𝄞".repeat(40)), "𝄞".repeat(30)); // 4 bytes each, 2 UTF-16 units: 120
    assert.equal(closeReason("ab" + "é".repeat(100)), "ab" + "é".repeat(60)); // 122
    const typeName = `Unknown message type "${"€".repeat(64)}"`;
    assert.equal(closeReason(typeName), `Unknown message type "${"€".repeat(33)}`); // 22 + 99 bytes
  });

  it("turns a lone surrogate into U+FFFD, as it would be sent", () => {
    assert.equal(closeReason("\ud800".repeat(50)), "\ufffd".repeat(41));
  });

  it("returns the longest start that fits, for any text", () => {
    const random = seededRandom(123);
    const pieces = ["a", "é", "€", "𝄞", " ", "\u0000"];
    for (let i = 0; i < 2000; i++) {
      const message = Array.from({ length: Math.floor(random() * 120) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      const reason = closeReason(message);
      assert.ok(message.startsWith(reason));
      assert.ok(bytesOf(reason) <= MAX_CLOSE_REASON_BYTES);
      if (reason !== message) {
        const next = String.fromCodePoint(message.codePointAt(reason.length)!);
        assert.ok(bytesOf(reason + next) > MAX_CLOSE_REASON_BYTES, `one more character would fit: ${JSON.stringify(message)}`);
      }
    }
  });
});
