import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startActor } from "../actors/runtime/mod.ts";
import { Session } from "../protocol/peer/mod.ts";
import { type ActorsReport, type StatsReport } from "../protocol/wire/mod.ts";
import { wsFactory } from "../../test/_helpers/sockets.ts";
import { startBroker } from "./mod.ts";

const SECRET = "introspection test actor secret";

describe("$broker", () => {
  it("answers actors and stats to any client, and BAD_REQUEST to other ops", async () => {
    const broker = await startBroker({ port: 0, actorSecret: SECRET, publicRoles: ["work"], shutdownTimeout: 100 });
    const actors = await Promise.all(
      ["w-1", "w-2"].map((name) =>
        startActor({ url: broker.url, role: "work", name, secret: SECRET, concurrency: 4, reconnect: false, handlers: { ok: () => "ok", bad: () => { throw new RangeError("boom"); } } }),
      ),
    );
    const client = await Session.open(wsFactory, broker.url, { reconnect: false });
    try {
      for (let i = 0; i < 4; i++) await client.request("work", "ok", null);
      await assert.rejects(client.request("work", "bad", null), { code: "INTERNAL" });
      await assert.rejects(client.request("nobody", "x", null), { code: "FORBIDDEN" });

      const { roles } = (await client.request("$broker", "actors", null)) as ActorsReport;
      assert.equal(roles.length, 1);
      const [work] = roles;
      assert.equal(work!.role, "work");
      assert.equal(work!.queued, 0);
      assert.deepEqual(work!.actors.map((a) => a.name).sort(), ["w-1", "w-2"]);
      for (const actor of work!.actors) {
        assert.equal(actor.concurrency, 4);
        assert.equal(actor.inFlight, 0);
        assert.equal(actor.draining, false);
        assert.equal(typeof actor.id, "string");
      }
      assert.equal(work!.actors.reduce((n, a) => n + a.served, 0), 4);
      assert.equal(work!.actors.reduce((n, a) => n + a.failed, 0), 1);

      const stats = (await client.request("$broker", "stats", null)) as StatsReport;
      assert.deepEqual(stats.connections, { clients: 1, actors: 2 });
      assert.deepEqual({ ok: stats.requests.ok, INTERNAL: stats.requests.INTERNAL, FORBIDDEN: stats.requests.FORBIDDEN }, { ok: 5, INTERNAL: 1, FORBIDDEN: 1 });
      assert.equal(stats.inFlight, 0);
      assert.equal(stats.queued, 0);
      assert.ok(stats.uptime >= 0);
      assert.ok(stats.memory.rss > stats.memory.heapUsed && stats.memory.heapUsed > 0);

      await assert.rejects(client.request("$broker", "shutdown", null), (error: unknown) => {
        assert.equal((error as { code: string }).code, "BAD_REQUEST");
        assert.match((error as Error).message, /has only "actors" and "stats"/);
        return true;
      });
    } finally {
      client.close();
      for (const actor of actors) actor.close();
      await broker.close();
    }
  });
});
