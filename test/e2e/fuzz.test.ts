import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { connect, type StatsReport, type StrongroomClient } from "../../src/client/mod.ts";
import { SUBPROTOCOL } from "../../src/protocol/wire/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { eventually } from "../_helpers/eventually.ts";
import { FuzzFrames, seededRandom } from "../_helpers/fuzz-frames.ts";
import { type Load, startLoad } from "../_helpers/load.ts";

const SEED = 20_240_611;
const FRAMES = 8000;
const MAX_FRAME = 1024 * 1024;
const MIB = 1024 * 1024;

/** One hostile connection: a hello (or not), then frames until the broker closes it; then it leaves, politely or not. */
async function fuzzConnection(url: string, frames: FuzzFrames, random: () => number): Promise<number> {
  const socket = new WebSocket(url, SUBPROTOCOL);
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await Promise.race([new Promise((resolve) => socket.once("open", resolve)), closed]);
  if (socket.readyState !== WebSocket.OPEN) return 0;
  let sent = 0;
  const send = (frame: Uint8Array | string) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(frame);
    sent++;
  };
  send(frames.hello());
  for (let i = 0; i < 25; i++) send(frames.next());
  const ending = random();
  if (ending < 0.05) send(new Uint8Array(MAX_FRAME + 1 + Math.floor(random() * 1000)));
  else if (ending < 0.1) send("a text frame");
  if (random() < 0.5) socket.terminate();
  else await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 50))]).finally(() => socket.terminate());
  return sent;
}

describe("the broker under a flood of hostile frames", () => {
  let cluster: Cluster;
  let client: StrongroomClient;

  before(async () => {
    cluster = await startCluster({ brokerArgs: ["--max-frame", String(MAX_FRAME), "--max-buffered", String(8 * MIB)] });
    client = await connect(cluster.url, { timeout: 30_000 });
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  async function roundTrip(worker: number, n: number): Promise<void> {
    const id = `good-${worker}-${n}`;
    const payload = randomBytes(100 + n);
    const key = await client.store(id, payload);
    assert.deepEqual(await client.retrieve(id, key), new Uint8Array(payload));
  }

  it("stays up with bounded memory, and a well-behaved client gets correct answers during and after", async () => {
    const good = startLoad(roundTrip, 2);
    try {
      await flood(good);
    } finally {
      await good.stop();
    }
    for (let n = 0; n < 10; n++) await roundTrip(99, n);
  });

  async function flood(good: Load): Promise<void> {
    await eventually(() => good.result.ok >= 20, 30_000);
    const before = (await client.stats()) as StatsReport;
    const okBefore = good.result.ok;

    let sent = 0;
    let connections = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, fuzzer) => {
        const frames = new FuzzFrames(SEED + fuzzer);
        const random = seededRandom(SEED - fuzzer);
        while (sent < FRAMES) {
          connections++;
          sent += await fuzzConnection(cluster.url, frames, random);
        }
      }),
    );
    assert.ok(sent >= FRAMES, `${sent} frames over ${connections} connections`);
    assert.ok(good.result.ok > okBefore, "the good client was answered while the flood went on");

    const result = await good.stop();
    assert.deepEqual(result.errors, {}, "every answer to the good client was right");
    assert.equal(cluster.part("broker").process.exitCode, null, "the broker is up");

    // Nothing the hostile peers started is left behind.
    let after!: StatsReport;
    await eventually(async () => {
      after = await client.stats();
      return after.connections.clients === 1 && after.inFlight === 0 && after.queued === 0;
    }, 20_000);
    const grown = (after.memory.rss - before.memory.rss) / MIB;
    assert.ok(grown < 128, `the broker's resident memory grew by ${grown.toFixed(1)} MiB`);
    const refused = Object.entries(after.requests).filter(([outcome]) => outcome !== "ok").reduce((n, [, count]) => n + count, 0);
    assert.ok(refused >= 1000 && after.requests.FORBIDDEN! > 0 && after.requests.BAD_REQUEST! > 0, `the flood reached the router: ${JSON.stringify(after.requests)}`);
  }
});
