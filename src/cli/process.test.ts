import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { currentRuntime, scriptCommand } from "./runtime.ts";

const FIXTURE = fileURLToPath(new URL("../../test/_fixtures/write-past-limit.ts", import.meta.url));

describe("surviveFileSizeLimit()", () => {
  const dir = mkdtempSync(join(tmpdir(), "strongroom-fsize-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (mode: string) => {
    const { command, args } = scriptCommand(currentRuntime(), FIXTURE, [join(dir, `${mode}.bin`), mode]);
    return spawnSync(command, args, { encoding: "utf8" });
  };

  it(`turns a write past the file size limit into EFBIG on ${currentRuntime()}, not a killed process`, () => {
    const result = run("guarded");
    assert.equal(result.signal, null, result.stderr);
    assert.equal(result.stdout.trim(), "EFBIG");
  });

  it(`is needed on Deno only: without it, ${currentRuntime()} ${currentRuntime() === "deno" ? "dies of SIGXFSZ" : "gets EFBIG too"}`, () => {
    const result = run("unguarded");
    if (currentRuntime() === "deno") assert.equal(result.signal, "SIGXFSZ");
    else assert.equal(result.stdout.trim(), "EFBIG", result.stderr);
  });
});
