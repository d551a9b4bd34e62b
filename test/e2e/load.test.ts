import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { selfCommand } from "../../src/cli/process.ts";
import { connect, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { actorsOf } from "../_helpers/actors.ts";
import { eventually } from "../_helpers/eventually.ts";
import { startLoad } from "../_helpers/load.ts";

const run = promisify(execFile);

describe("two encryptor processes under load", () => {
  let cluster: Cluster;
  let client: StrongroomClient;

  before(async () => {
    cluster = await startCluster({ encryptors: 2 });
    client = await connect(cluster.url, { timeout: 20_000 });
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  const encryptors = () => actorsOf(client);

  /** Stores and reads back, checking the bytes. */
  async function roundTrip(worker: number, n: number): Promise<void> {
    const id = `w${worker}-${n}-${randomBytes(4).toString("hex")}`;
    const payload = randomBytes(512 + ((worker * 131 + n) % 4096));
    const key = await client.store(id, payload);
    assert.deepEqual(await client.retrieve(id, key), new Uint8Array(payload));
  }

  it("gives each encryptor a share of steady load", async () => {
    const before = await encryptors();
    const load = startLoad(roundTrip, 8);
    await eventually(() => load.result.ok >= 200, 30_000);
    const result = await load.stop();
    assert.deepEqual(result.errors, {});
    const after = await encryptors();
    assert.equal(after.length, 2);
    const served = after.map((a) => a.served - (before.find((b) => b.id === a.id)?.served ?? 0));
    const total = served[0]! + served[1]!;
    for (const share of served) assert.ok(share >= total * 0.25, `each serves at least a quarter: ${served.join(" / ")}`);
  });

  it("prints the actors and counters with `strongroom status`, as a table and as JSON", async () => {
    const { command, args } = selfCommand(["status", "--url", cluster.url]);
    const table = (await run(command, args)).stdout;
    assert.match(table, /^ROLE\s+QUEUED\s+ACTOR\s+STATE\s+CONCURRENCY\s+IN FLIGHT\s+SERVED\s+FAILED\s+UP$/m);
    assert.match(table, /^encryptor\s+0\s+encryptor-\d+\s+ready\s+256\s+\d+\s+\d+\s+0\s+\d+s$/m);
    assert.match(table, /^storage\s+0\s+storage-\d+\s+ready /m);
    assert.match(table, /^broker {4}up \d+s, 2 clients and 3 actors connected/m);
    const json = JSON.parse((await run(command, [...args, "--json"])).stdout);
    assert.deepEqual(json.actors.roles.map((r: { role: string }) => r.role).sort(), ["encryptor", "storage"]);
    assert.ok(json.stats.requests.ok > 400);
  });

  it("loses no request while each encryptor in turn is stopped with SIGTERM and started again", async () => {
    const load = startLoad(roundTrip, 8);
    for (const name of ["encryptor-1", "encryptor-2"]) {
      const progress = load.result.ok;
      await eventually(() => load.result.ok >= progress + 50, 30_000);
      cluster.part(name).kill("SIGTERM");
      assert.equal(await cluster.part(name).exited, 0, `${name} drains and exits 0`);
      await cluster.restart(name);
      await eventually(async () => (await encryptors()).length === 2, 10_000);
    }
    const progress = load.result.ok;
    await eventually(() => load.result.ok >= progress + 50, 30_000);
    const result = await load.stop();
    const said = cluster.output().split("\n").filter((line) => / (error|warn) /.test(line));
    assert.deepEqual(result.errors, {}, `zero failed requests; the parts said:\n${said.join("\n")}`);
    assert.match(cluster.output(), /Draining/);
  });

  it("answers UNAVAILABLE for every request in flight to a SIGKILLed encryptor, and sends later ones to the survivor", async () => {
    const [victim] = (await encryptors()).sort((a, b) => a.name.localeCompare(b.name));
    const victimName = victim!.name;
    const victimPart = ["encryptor-1", "encryptor-2"].find((n) => victimName === `encryptor-${cluster.part(n).process.pid}`)!;
    // Stores only: they are never retried, so every failure shows.
    const load = startLoad(async (worker, n) => void (await client.store(`k${worker}-${n}`, randomBytes(256))), 16);
    await eventually(() => load.result.ok >= 50, 30_000);
    // Hold storage so that requests pile up in flight at the encryptors.
    cluster.part("storage").kill("SIGSTOP");
    let heldByVictim = 0;
    try {
      await eventually(async () => {
        heldByVictim = (await encryptors()).find((a) => a.name === victimName)?.inFlight ?? 0;
        return heldByVictim > 0;
      }, 10_000);
      cluster.part(victimPart).kill("SIGKILL");
      await eventually(async () => (await encryptors()).length === 1, 10_000);
    } finally {
      cluster.part("storage").kill("SIGCONT");
    }
    const progress = load.result.ok;
    await eventually(() => load.result.ok >= progress + 50, 30_000);
    const result = await load.stop();
    assert.deepEqual(Object.keys(result.errors), ["UNAVAILABLE"], "nothing hangs into a TIMEOUT, nothing else fails");
    assert.ok(result.errors.UNAVAILABLE! >= heldByVictim, `${result.errors.UNAVAILABLE} failed, ${heldByVictim} were in flight to it`);

    const [survivor] = await encryptors();
    for (let i = 0; i < 20; i++) await client.store(`after-${i}`, "x");
    const [later] = await encryptors();
    assert.equal(later!.id, survivor!.id);
    assert.ok(later!.served >= survivor!.served + 20);
  });
});
