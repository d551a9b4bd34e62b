import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startChild } from "../../src/cli/child.ts";
import { connect } from "../../src/client/mod.ts";
import { eventually } from "../_helpers/eventually.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" });
  const children = table.trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of children) if (ppid === parent) found.push(child), walk(child);
  };
  walk(pid);
  return found;
}

describe("strongroom up", () => {
  it("starts every part as its own process, prints how to connect, and stops all on SIGINT with status 0", async () => {
    const data = mkdtempSync(join(tmpdir(), "strongroom-up-"));
    const lines: string[] = [];
    const up = startChild({ name: "up", args: ["up", "--port", "0", "--data", data, "--encryptors", "2"], onLine: (l) => lines.push(l) });
    try {
      await eventually(() => lines.some((l) => l.includes("strongroom is ready at")), 30_000);
      const url = /ready at (\S+)/.exec(lines.find((l) => l.includes("ready at"))!)![1]!;
      const parts = descendants(up.process.pid!);
      assert.ok(parts.length >= 4, `broker, storage and two encryptors run as processes: ${parts.length}`);

      const client = await connect(url);
      const key = await client.store("id", "payload");
      assert.equal(new TextDecoder().decode(await client.retrieve("id", key)), "payload");
      await client.close();

      up.kill("SIGINT");
      assert.equal(await up.exited, 0);
      await eventually(() => parts.every((pid) => !alive(pid)));
    } finally {
      up.process.kill("SIGKILL");
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("stops its parts when it is killed outright and its parts notice the parent is gone", async () => {
    const data = mkdtempSync(join(tmpdir(), "strongroom-up-"));
    const lines: string[] = [];
    const up = startChild({ name: "up", args: ["up", "--port", "0", "--data", data], onLine: (l) => lines.push(l) });
    try {
      await eventually(() => lines.some((l) => l.includes("strongroom is ready at")), 30_000);
      const parts = descendants(up.process.pid!);
      up.process.kill("SIGKILL");
      await eventually(() => parts.every((pid) => !alive(pid)), 10_000);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
