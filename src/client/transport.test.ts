import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { WebSocket as NodeWebSocket } from "ws";
import { type Broker, startBroker } from "../broker/mod.ts";
import { scriptCommand } from "../cli/runtime.ts";
import { SUBPROTOCOL } from "../protocol/wire/mod.ts";
import { platformSocketFactory } from "./transport.ts";

const run = promisify(execFile);

describe("platformSocketFactory()", () => {
  let broker: Broker;

  before(async () => {
    broker = await startBroker({ port: 0, actorSecret: "transport test secret" });
  });
  after(async () => {
    await broker?.close();
  });

  it("opens the platform's WebSocket where there is one, else one of the ws package", async () => {
    const socket = (await platformSocketFactory())(broker.url, SUBPROTOCOL);
    const Platform = (globalThis as { WebSocket?: new (url: string) => unknown }).WebSocket;
    assert.ok(socket instanceof (Platform ?? NodeWebSocket), "the socket comes from the expected implementation");
    if (!Platform) assert.match(process.version, /^v20\./, "only Node 20 lacks a global WebSocket");
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = reject;
    });
    socket.close(1000);
  });

  it("connects through the global WebSocket of a Node that has one", async () => {
    // Node 20 has it behind a flag; newer Node has it by default. The client must take it, not ws.
    const client = new URL("./mod.ts", import.meta.url).href;
    const transport = new URL("./transport.ts", import.meta.url).href;
    const program = `
      import { connect, NoRouteError } from ${JSON.stringify(client)};
      import { platformSocketFactory } from ${JSON.stringify(transport)};
      const socket = (await platformSocketFactory())(${JSON.stringify(broker.url)}, "probe");
      socket.onerror = () => {};
      socket.close();
      const connection = await connect(${JSON.stringify(broker.url)});
      const error = await connection.store("id", "payload").catch((e) => e);
      await connection.close();
      console.log(socket instanceof globalThis.WebSocket, error instanceof NoRouteError && error.code);
    `;
    const dir = mkdtempSync(join(tmpdir(), "strongroom-transport-"));
    try {
      writeFileSync(join(dir, "probe.mts"), program);
      const { command, args } = scriptCommand("node", join(dir, "probe.mts"), []);
      const { stdout } = await run(command, ["--experimental-websocket", ...args]);
      assert.equal(stdout.trim(), "true NO_ROUTE");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
