import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { complete } from "./repl.ts";

describe("complete()", () => {
  it("completes command names as the first word", () => {
    assert.deepEqual(complete("re"), [["retrieve "], "re"]);
    assert.deepEqual(complete(""), [["store ", "retrieve ", "delete ", "actors ", "stats ", "help ", "quit ", "exit "], ""]);
    assert.deepEqual(complete("zz"), [[], "zz"]);
  });

  it("completes file names after @ and nothing else after the first word", () => {
    const dir = mkdtempSync(join(tmpdir(), "strongroom-complete-"));
    try {
      writeFileSync(join(dir, "invoice.pdf"), "x");
      mkdirSync(join(dir, "inbox"));
      assert.deepEqual(complete(`store id @${dir}/in`)[0].sort(), [`@${dir}/inbox/`, `@${dir}/invoice.pdf`]);
      assert.deepEqual(complete("retrieve my"), [[], "my"]);
      assert.deepEqual(complete(`store id @${dir}/nothing/here`), [[], `@${dir}/nothing/here`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
