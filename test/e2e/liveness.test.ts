import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connect, type SessionEvent, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { actorsOf } from "../_helpers/actors.ts";
import { eventually } from "../_helpers/eventually.ts";

const HEARTBEAT_MS = 1000;

describe("liveness of the parts", () => {
  let cluster: Cluster;
  let client: StrongroomClient;
  const events: SessionEvent[] = [];

  before(async () => {
    cluster = await startCluster({ encryptors: 2, brokerArgs: ["--heartbeat", String(HEARTBEAT_MS)] });
    client = await connect(cluster.url, { timeout: 20_000, backoff: { initial: 50, max: 500 }, onEvent: (e) => events.push(e) });
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  const encryptors = () => actorsOf(client);

  it("detects a stopped encryptor by its missed pongs and answers its requests; it registers again once resumed", async () => {
    const stopped = cluster.part("encryptor-1");
    stopped.kill("SIGSTOP");
    try {
      // Each call has five heartbeat intervals: detection takes at most about one and a half (silence for one
      // interval, found at the next of the pings sent twice an interval), so a call that is not answered ok or
      // UNAVAILABLE in that time shows as TIMEOUT: detection was late, or the request hung.
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          client.store(`stopped-${i}`, "x", { timeout: 5 * HEARTBEAT_MS }).then(() => "ok", (error: { code: string }) => error.code),
        ),
      );
      assert.deepEqual([...new Set(outcomes)].sort(), ["UNAVAILABLE", "ok"], `outcomes: ${outcomes.join(", ")}`);
      assert.match(cluster.output(), /Closing a peer that missed its pong/);
      assert.equal((await encryptors()).length, 1);
    } finally {
      stopped.kill("SIGCONT");
    }
    await eventually(async () => (await encryptors()).length === 2, 15_000);
    await eventually(() => assert.match(cluster.output(), /encryptor-1 .*Registered again with the broker/));
  });

  it("keeps the same client and actors through a broker restart; calls made while it is down wait for it", async () => {
    const key = await client.store("before restart", "kept");
    const broker = cluster.part("broker");
    broker.kill("SIGTERM");
    assert.equal(await broker.exited, 0);
    await eventually(() => !client.connected);
    const waiting = client.store("while down", "waited", { timeout: 30_000 });
    await cluster.restart("broker");
    assert.equal((await waiting).byteLength, 32);
    assert.equal(new TextDecoder().decode(await client.retrieve("before restart", key)), "kept");
    await eventually(async () => (await encryptors()).length === 2, 15_000);
    assert.ok(events.some((e) => e.type === "disconnected" && e.code === 1001));
    assert.ok(events.filter((e) => e.type === "connected").length >= 2);
  });
});
