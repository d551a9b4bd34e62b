import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenize } from "./tokenize.ts";

describe("tokenize()", () => {
  const words = (line: string) => tokenize(line).map((t) => t.value);

  it("splits on runs of white space and keeps where each word starts", () => {
    assert.deepEqual(tokenize("  store  id\ttext "), [
      { value: "store", start: 2 },
      { value: "id", start: 9 },
      { value: "text", start: 12 },
    ]);
    assert.deepEqual(words(""), []);
  });

  it("keeps spaces inside single and double quotes and joins quoted parts of one word", () => {
    assert.deepEqual(words(`store "my id" 'it is' a"b c"d`), ["store", "my id", "it is", "ab cd"]);
    assert.deepEqual(words(`store ""`), ["store", ""]);
  });

  it("takes backslash escapes outside quotes and inside double quotes, not inside single quotes", () => {
    assert.deepEqual(words(String.raw`a\ b "c\"d" 'e\f'`), ["a b", 'c"d', String.raw`e\f`]);
  });

  it("refuses an unclosed quote, saying where it starts", () => {
    assert.throws(() => tokenize(`store "my id`), { name: "SyntaxError", message: /Unclosed " quote starting at column 7/ });
  });
});
