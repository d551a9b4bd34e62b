import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startActor } from "../actors/runtime/mod.ts";
import { Session } from "../protocol/peer/mod.ts";
import { type StatsReport } from "../protocol/wire/mod.ts";
import { captureLogger, type LogLine } from "../../test/_helpers/capture-logger.ts";
import { eventually } from "../../test/_helpers/eventually.ts";
import { rawPeer } from "../../test/_helpers/raw-peer.ts";
import { wsFactory } from "../../test/_helpers/sockets.ts";
import { startBroker } from "./mod.ts";

const SECRET = "peer test actor secret";

describe("Peer", () => {
  it("cuts off a peer that does not read its replies once its send buffer passes the limit", async () => {
    const lines: LogLine[] = [];
    const maxBuffered = 256 * 1024;
    const broker = await startBroker({
      port: 0,
      actorSecret: SECRET,
      publicRoles: ["big"],
      maxFrame: 64 * 1024,
      maxBuffered,
      shutdownTimeout: 100,
      logger: captureLogger(lines),
    });
    const actor = await startActor({
      url: broker.url,
      role: "big",
      secret: SECRET,
      reconnect: false,
      handlers: { big: () => new Uint8Array(60 * 1024) },
    });
    const watcher = await Session.open(wsFactory, broker.url, { reconnect: false });
    try {
      const slow = await rawPeer(broker.url);
      slow.socket.pause();
      // 30 MB of answers: far more than the kernel's socket buffers and the broker's limit.
      for (let id = 0; id < 500; id++) slow.send({ t: "req", id, to: "big", op: "big", body: null, ttl: 60_000 });
      await eventually(async () => {
        const stats = (await watcher.request("$broker", "stats", null)) as StatsReport;
        return stats.connections.clients === 1;
      }, 30_000);
      const warning = lines.find((line) => line.message === "Closing a peer that does not read");
      assert.ok(warning, "the broker says why it closed the peer");
      assert.ok((warning.fields.buffered as number) > maxBuffered);
      assert.ok((warning.fields.buffered as number) < maxBuffered + 2 * 64 * 1024, "cut off right after passing the limit");
      slow.socket.resume();
      assert.equal((await slow.closed).code, 1006);
      // The broker and the actor keep serving everyone else.
      assert.equal(((await watcher.request("big", "big", null)) as Uint8Array).byteLength, 60 * 1024);
      assert.equal(actor.session.connected, true);
    } finally {
      watcher.close();
      actor.close();
      await broker.close();
    }
  });
});
