import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Actor, startActor } from "../../src/actors/runtime/mod.ts";
import { connect, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { eventually } from "../_helpers/eventually.ts";

interface Seen {
  ttl: number;
  aborted?: string;
}

describe("deadlines and cancellation through the encryptor process", () => {
  let cluster: Cluster;
  let client: StrongroomClient;
  let storage: Actor;
  const puts: Seen[] = [];

  before(async () => {
    cluster = await startCluster({ storage: false });
    // A storage that never answers: it notes the budget it was given and why it was let go.
    storage = await startActor({
      url: cluster.url,
      role: "storage",
      secret: cluster.secret,
      handlers: {
        put: ({ deadline, signal }) =>
          new Promise((_, reject) => {
            const seen: Seen = { ttl: deadline - performance.now() };
            puts.push(seen);
            signal.addEventListener("abort", () => {
              seen.aborted = (signal.reason as { code: string }).code;
              reject(signal.reason);
            });
          }),
      },
    });
    client = await connect(cluster.url);
  });
  after(async () => {
    await client?.close();
    storage?.close();
    await cluster?.stop();
  });

  it("answers TIMEOUT for a short deadline through a slow actor; the nested storage call had the inherited budget", async () => {
    await assert.rejects(client.store("slow", "payload", { timeout: 500 }), { code: "TIMEOUT" });
    assert.equal(puts.length, 1);
    const [put] = puts;
    assert.ok(put!.ttl > 0 && put!.ttl <= 500, `storage got ${put!.ttl} ms of the client's 500`);
    await eventually(() => put!.aborted !== undefined);
    assert.equal(put!.aborted, "TIMEOUT");
  });

  it("answers CANCELLED at once for an aborted call, and the cancel reaches the nested handler", async () => {
    const controller = new AbortController();
    const call = client.store("cancelled", "payload", { signal: controller.signal, timeout: 60_000 });
    await eventually(() => puts.length === 2);
    controller.abort();
    await assert.rejects(call, { code: "CANCELLED" });
    await eventually(() => puts[1]!.aborted === "CANCELLED");
    assert.ok(puts[1]!.ttl > 50_000, "a long budget, so only the cancel can have ended it");
  });
});
