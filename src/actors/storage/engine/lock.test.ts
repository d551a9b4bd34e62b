import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { StorageFailedError } from "../../../protocol/wire/mod.ts";
import { useTempDir } from "./_test-dir.ts";
import { LOCK_FILE, lockDirectory } from "./lock.ts";

describe("lockDirectory()", () => {
  const dir = useTempDir();

  it("refuses a second holder with a message naming the holder, until the first lets go", async () => {
    const lock = await lockDirectory(dir());
    assert.match(readFileSync(join(dir(), LOCK_FILE), "utf8"), new RegExp(`^${process.pid} `));
    await assert.rejects(lockDirectory(dir()), (error: unknown) => {
      assert.ok(error instanceof StorageFailedError);
      assert.equal(error.code, "STORAGE_FAILED");
      assert.equal(
        error.message,
        `Cannot open data directory "${dir()}": another process (pid ${process.pid}) is using it; stop that storage process or choose another directory`,
      );
      return true;
    });
    await lock.release();
    const again = await lockDirectory(dir());
    assert.equal(again.staleOwner, undefined);
    await again.release();
  });

  it("takes over from an owner that died, whatever its PID file says", async () => {
    writeFileSync(join(dir(), LOCK_FILE), "999999 elsewhere 2020-01-01T00:00:00.000Z\n");
    const lock = await lockDirectory(dir());
    assert.equal(lock.staleOwner, 999999);
    await lock.release();
  });
});
