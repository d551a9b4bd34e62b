import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { selfCommand } from "./process.ts";
import { currentRuntime, isRuntime, RUNTIMES, runtimeExecutable } from "./runtime.ts";
import { COMMANDS } from "./commands/mod.ts";
import { UsageError } from "./errors.ts";
import { readSettings } from "./settings.ts";

describe("runtime", () => {
  it("currentRuntime() names the runtime the tests run on", () => {
    assert.equal(currentRuntime(), typeof (globalThis as { Deno?: unknown }).Deno === "object" ? "deno" : "node");
    assert.ok(isRuntime(currentRuntime()));
    assert.equal(isRuntime("bun"), false);
  });

  for (const runtime of RUNTIMES) {
    it(`runtimeExecutable() finds a ${runtime} that runs`, () => {
      const version = execFileSync(runtimeExecutable(runtime), ["--version"], { encoding: "utf8" });
      assert.match(version, runtime === "deno" ? /^deno 2\./ : /^v\d+\./);
    });

    it(`selfCommand() runs the CLI on ${runtime}`, () => {
      const { command, args } = selfCommand(["up", "--help"], runtime);
      assert.equal(command, runtimeExecutable(runtime));
      assert.match(execFileSync(command, args, { encoding: "utf8" }), /--runtime/);
    });
  }

  it("readSettings() takes --runtime or STRONGROOM_RUNTIME for up, and refuses other names", () => {
    const up = COMMANDS.find((c) => c.name === "up")!;
    const noFile = { STRONGROOM_CONFIG: "" };
    assert.equal(readSettings(up, [], noFile).settings.runtime, undefined);
    assert.equal(readSettings(up, ["--runtime", "deno"], noFile).settings.runtime, "deno");
    assert.equal(readSettings(up, [], { ...noFile, STRONGROOM_RUNTIME: "node" }).settings.runtime, "node");
    assert.throws(() => readSettings(up, ["--runtime", "bun"], noFile), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /^Invalid setting "runtime".*: expected one of "node", "deno", got "bun"$/);
      return true;
    });
  });
});
