import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startChild } from "../../src/cli/child.ts";
import { currentRuntime, type Runtime } from "../../src/cli/runtime.ts";
import { connect, NotFoundError, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { eventually } from "../_helpers/eventually.ts";

/** The runtime a process runs, read from the executable the kernel started. */
function runtimeOf(pid: number): string {
  return basename(readlinkSync(`/proc/${pid}/exe`));
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" });
  return table
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number))
    .flatMap(([child, parent]) => (parent === pid ? [child!] : []));
}

const here = currentRuntime();
const other: Runtime = here === "node" ? "deno" : "node";

for (const [brokerRuntime, actorRuntime] of [
  ["node", "deno"],
  ["deno", "node"],
] as const) {
  describe(`a cluster with the broker on ${brokerRuntime} and the actors on ${actorRuntime}`, () => {
    let cluster: Cluster;
    let client: StrongroomClient;

    before(async () => {
      cluster = await startCluster({ brokerRuntime, actorRuntime, encryptors: 2 });
      client = await connect(cluster.url);
    });
    after(async () => {
      await client?.close();
      await cluster?.stop();
    });

    it("runs each part on the runtime it was given", () => {
      assert.equal(runtimeOf(cluster.part("broker").process.pid!), brokerRuntime);
      for (const name of ["storage", "encryptor-1", "encryptor-2"]) {
        assert.equal(runtimeOf(cluster.part(name).process.pid!), actorRuntime, name);
      }
    });

    it(`round-trips data stored and retrieved by a client on ${here}`, async () => {
      const records = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const id = randomBytes(16);
          const payload = new Uint8Array(randomBytes(i * 4099));
          return { id, payload, key: await client.store(id, payload) };
        }),
      );
      for (const { id, payload, key } of records) assert.deepEqual(await client.retrieve(id, key), payload);
      const [first] = records;
      await client.delete(first!.id, first!.key);
      await assert.rejects(client.retrieve(first!.id, first!.key), NotFoundError);
      await assert.rejects(client.retrieve(records[1]!.id, randomBytes(32)), NotFoundError);
    });
  });
}

describe(`strongroom up --runtime ${other}, started on ${here}`, () => {
  it(`runs every part on ${other}, serves a round trip and stops all on SIGINT`, async () => {
    const data = mkdtempSync(join(tmpdir(), "strongroom-up-"));
    const lines: string[] = [];
    const up = startChild({
      name: "up",
      args: ["up", "--port", "0", "--data", data, "--runtime", other],
      onLine: (line) => lines.push(line),
    });
    try {
      await eventually(() => lines.some((line) => line.includes("strongroom is ready at")), 30_000);
      assert.equal(runtimeOf(up.process.pid!), here);
      const parts = childrenOf(up.process.pid!);
      assert.equal(parts.length, 3, "the broker, the storage actor and one encryptor run as processes");
      assert.deepEqual(parts.map(runtimeOf), [other, other, other]);

      const url = /ready at (\S+)/.exec(lines.find((line) => line.includes("ready at"))!)![1]!;
      const client = await connect(url);
      const key = await client.store("id", "payload");
      assert.equal(new TextDecoder().decode(await client.retrieve("id", key)), "payload");
      await client.close();

      up.kill("SIGINT");
      assert.equal(await up.exited, 0);
    } finally {
      up.kill("SIGKILL");
      rmSync(data, { recursive: true, force: true });
    }
  });
});
