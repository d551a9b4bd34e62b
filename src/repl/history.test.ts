import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { historyLine, loadHistory, saveHistory } from "./history.ts";

const KEY = "Nloi46csrYoPTtA3hJYlYFD9VWKYjVM-q5ljyU7C2_Y";

describe("history", () => {
  it("keeps record commands with their id only: never a key or a payload", () => {
    assert.equal(historyLine(`store "my id" the secret text`), 'store "my id"');
    assert.equal(historyLine(`retrieve id ${KEY} > out.bin`), 'retrieve "id"');
    assert.equal(historyLine(`delete id ${KEY}`), 'delete "id"');
    assert.equal(historyLine("store"), "store");
    assert.equal(historyLine("  actors  "), "actors");
    // A line that is no command is not kept at all: any word of it may be a key.
    assert.equal(historyLine(`retrive id ${KEY}`), undefined);
    assert.equal(historyLine(KEY), undefined);
    assert.equal(historyLine(`stats ${KEY}`), "stats");
    assert.equal(historyLine("   "), undefined);
    assert.equal(historyLine(`store "unclosed ${KEY}`), undefined);
  });

  it("saves lines readable only by the user and loads them newest first", () => {
    const dir = mkdtempSync(join(tmpdir(), "strongroom-history-"));
    try {
      const file = join(dir, "history");
      assert.deepEqual(loadHistory(file), []);
      saveHistory(file, "actors");
      saveHistory(file, `retrieve id ${KEY}`);
      saveHistory(file, "");
      assert.deepEqual(loadHistory(file), ['retrieve "id"', "actors"]);
      assert.equal(readFileSync(file, "utf8").includes(KEY), false);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("goes on without history when the file cannot be written", () => {
    assert.doesNotThrow(() => saveHistory(join(tmpdir(), "no-such-dir", "deeper", "history"), "actors"));
  });
});
