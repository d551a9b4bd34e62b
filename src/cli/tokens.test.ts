import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LocalFileError, UsageError } from "./errors.ts";
import { parseTokens, readTokens } from "./tokens.ts";

describe("parseTokens()", () => {
  it("maps each token to its tenant, skipping comments and blank lines", () => {
    assert.deepEqual(parseTokens("# tenant token\n\nacme\ts3cret-1\r\n  globex   s3cret-2  \n", "t"), { "s3cret-1": "acme", "s3cret-2": "globex" });
  });

  it("names the line of a bad entry and never echoes a token", () => {
    for (const [text, pattern] of [
      ["acme\n", /line 1 .*expected "tenant token"/],
      ["a b c\n", /line 1/],
      ["acme tok-1\nglobex tok-1\n", /line 2 .*already given/],
      [`acme ${"x".repeat(1025)}\n`, /token is over 1024/],
      [`${"t".repeat(257)} tok\n`, /tenant is over 256/],
    ] as const) {
      assert.throws(() => parseTokens(text, "tokens.txt"), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, pattern);
        assert.doesNotMatch(error.message, /tok-1|xxxx/);
        return true;
      });
    }
  });

  it("says which file it cannot read", () => {
    assert.throws(() => readTokens("/nonexistent/tokens"), (error: unknown) => error instanceof LocalFileError && /^Cannot read tokens file "\/nonexistent\/tokens" of --tokens: no such file or directory$/.test(error.message));
  });
});
