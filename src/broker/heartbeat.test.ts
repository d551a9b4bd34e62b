import assert from "node:assert/strict";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { startActor } from "../actors/runtime/mod.ts";
import { Session } from "../protocol/peer/mod.ts";
import { type ActorsReport, type Message, parseOne, SUBPROTOCOL } from "../protocol/wire/mod.ts";
import { frame } from "../../test/_helpers/frames.ts";
import { wsFactory } from "../../test/_helpers/sockets.ts";
import { startBroker } from "./mod.ts";

const SECRET = "heartbeat test actor secret";

/** An actor that registers and then neither answers requests nor pongs: a stopped process. */
async function frozenActor(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, SUBPROTOCOL, { autoPong: false });
  socket.on("error", () => {});
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(frame({ t: "hello", token: SECRET, role: "work", name: "frozen", concurrency: 8 }));
  const welcome = await new Promise<Message>((resolve) => socket.once("message", (data: Buffer) => resolve(parseOne(data))));
  assert.equal(welcome.t, "welcome");
  return socket;
}

describe("Heartbeat", () => {
  it("terminates a peer that misses its pong; requests in flight to it are answered UNAVAILABLE", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["work", "healthy"], heartbeat: 400, shutdownTimeout: 100 });
    const healthy = await startActor({ url: broker.url, role: "healthy", secret: SECRET, reconnect: false, handlers: { ok: () => "ok" } });
    const client = await Session.open(wsFactory, broker.url, { reconnect: false });
    try {
      assert.equal(client.welcome.heartbeat, 400);
      const frozen = await frozenActor(broker.url);
      const closed = new Promise<number>((resolve) => frozen.once("close", resolve));
      // Five heartbeat intervals each: a detection later than that shows as TIMEOUT.
      const calls = [1, 2, 3].map((i) => client.request("work", "x", i, { timeout: 5 * 400 }).catch((error: unknown) => error));
      const outcomes = await Promise.all(calls);
      for (const outcome of outcomes) {
        assert.equal((outcome as { code: string }).code, "UNAVAILABLE");
        assert.match((outcome as Error).message, /went away with the request in flight/);
      }
      assert.equal(await closed, 1006);
      // Peers that answer pings stay, through many rounds.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { roles } = (await client.request("$broker", "actors", null)) as ActorsReport;
      assert.deepEqual(roles.map((r) => [r.role, r.actors.length]).sort(), [["healthy", 1], ["work", 0]]);
      assert.equal(await client.request("healthy", "ok", null), "ok");
      assert.equal(healthy.session.connected, true);
    } finally {
      client.close();
      healthy.close();
      await broker.close();
    }
  });
});
