import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { showBytes } from "./format.ts";

describe("showBytes()", () => {
  it("shows printable UTF-8 as it is, with tabs and line breaks", () => {
    assert.equal(showBytes(new TextEncoder().encode("héllo\tworld\n")), "héllo\tworld\n");
  });

  it("says so for no bytes at all", () => {
    assert.equal(showBytes(new Uint8Array()), "(0 bytes)");
  });

  it("shows bytes that are not UTF-8, or hold control characters, as length and hex", () => {
    assert.equal(showBytes(new Uint8Array([0, 255])), "2 bytes (binary):\n0000  00 ff");
    assert.equal(showBytes(new TextEncoder().encode("a\u0007b")), "3 bytes (binary):\n0000  61 07 62");
  });

  it("previews the first 64 bytes of longer binary, 16 to a line", () => {
    const lines = showBytes(new Uint8Array(1000).fill(0xab)).split("\n");
    assert.equal(lines[0], "1000 bytes (binary), first 64:");
    assert.equal(lines.length, 5);
    assert.equal(lines[4], `0030  ${Array(16).fill("ab").join(" ")}`);
  });
});
