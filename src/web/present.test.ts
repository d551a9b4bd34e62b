import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyFromText, NotFoundError, UnavailableError } from "../client/mod.ts";
import { describeError, describePayload } from "./present.ts";

describe("describeError()", () => {
  it("shows the code and message of a service error", () => {
    assert.deepEqual(describeError(new NotFoundError("No record matches this id and key")), {
      code: "NOT_FOUND",
      message: "No record matches this id and key",
    });
    assert.equal(describeError(new UnavailableError("Cannot connect")).code, "UNAVAILABLE");
  });

  it("shows a key typed wrong as BAD_REQUEST", () => {
    let thrown: unknown;
    try {
      keyFromText("not a key");
    } catch (error) {
      thrown = error;
    }
    assert.deepEqual(describeError(thrown), {
      code: "BAD_REQUEST",
      message: "Invalid key: expected 32 bytes as unpadded base64url (43 characters)",
    });
  });

  it("shows anything else as INTERNAL", () => {
    assert.deepEqual(describeError(new TypeError("Failed to fetch")), { code: "INTERNAL", message: "Failed to fetch" });
    assert.deepEqual(describeError("a string"), { code: "INTERNAL", message: "Unexpected failure" });
  });
});

describe("describePayload()", () => {
  it("shows UTF-8 text as text, tabs and line breaks included", () => {
    assert.deepEqual(describePayload(new TextEncoder().encode("line 1\r\n\tline 2 ✓")), { text: "line 1\r\n\tline 2 ✓", size: "19 bytes" });
    assert.deepEqual(describePayload(new Uint8Array()), { text: "", size: "0 bytes" });
  });

  it("shows bytes that are not UTF-8, or hold control characters, as binary", () => {
    assert.equal(describePayload(new Uint8Array([0xc3, 0x28])).text, null);
    assert.equal(describePayload(new Uint8Array([0x61, 0x00, 0x62])).text, null);
    assert.equal(describePayload(new Uint8Array([0x1b, 0x5b, 0x32, 0x4a])).text, null);
  });

  it("gives the size for people", () => {
    assert.equal(describePayload(new Uint8Array(1)).size, "1 byte");
    assert.equal(describePayload(new Uint8Array(1023)).size, "1023 bytes");
    assert.equal(describePayload(new Uint8Array(1536)).size, "1.5 KiB");
    assert.equal(describePayload(new Uint8Array(3 * 1024 * 1024)).size, "3 MiB");
  });
});
