import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { currentRuntime, runtimeExecutable, scriptCommand } from "../../cli/runtime.ts";
import { cborSample } from "../../../test/_helpers/cbor-sample.ts";
import { encodeBody as encode } from "./codec.ts";

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL("../../../test/_fixtures/codec-probe.ts", import.meta.url));
const expected = createHash("sha256").update(encode(cborSample())).digest("hex");

async function probe(command: string, args: string[], env: Record<string, string> = {}) {
  const { stdout } = await run(command, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as { native: boolean; sha256: string; same: boolean };
}

describe("codec without cbor-extract", () => {
  it(`encodes the same bytes and decodes the same values when ${currentRuntime()} runs it in pure JavaScript`, async () => {
    const { command, args } = scriptCommand(currentRuntime(), PROBE, []);
    const result = await probe(command, args, { CBOR_NATIVE_ACCELERATION_DISABLED: "true" });
    assert.deepEqual(result, { native: false, sha256: expected, same: true });
  });

  it("falls back to pure JavaScript on Deno when the native module may not load (no FFI permission)", async () => {
    // Deno loads cbor-extract's Node-API module only with FFI allowed; without it cbor-x must carry on.
    const result = await probe(runtimeExecutable("deno"), ["run", "--allow-read", "--allow-env", PROBE]);
    assert.deepEqual(result, { native: false, sha256: expected, same: true });
  });

  it("decodes the same values with the native extractor where it loads", async () => {
    const { command, args } = scriptCommand(currentRuntime(), PROBE, []);
    const result = await probe(command, args);
    assert.equal(result.sha256, expected);
    assert.equal(result.same, true);
  });
});
