import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startChild } from "../../cli/child.ts";
import { selfCommand } from "../../cli/process.ts";
import { type Broker, startBroker } from "../../broker/mod.ts";
import { StorageFailedError, StrongroomError } from "../../protocol/wire/mod.ts";
import { type Actor, startActor } from "../runtime/mod.ts";
import { startCluster } from "../../cli/cluster.ts";
import { eventually } from "../../../test/_helpers/eventually.ts";
import { faultyFileSystem, fsError } from "./engine/_faulty-fs.ts";
import { openEngine, type RecoveryReport, startStorage } from "./mod.ts";

const locator = () => new Uint8Array(randomBytes(32));

describe("the storage process and its data directory", () => {
  it("refuses a second storage process on the same directory, and takes over from one that was killed", async () => {
    const cluster = await startCluster({ encryptors: 0 });
    try {
      const first = cluster.part("storage").process.pid!;
      const lines: string[] = [];
      const second = startChild({
        name: "second",
        args: ["storage", "--url", cluster.url, "--data", cluster.dataDir],
        env: { ...process.env, STRONGROOM_ACTOR_SECRET: cluster.secret },
        onLine: (line) => lines.push(line),
      });
      await assert.rejects(second.ready, /exited with 12 before it was ready/);
      assert.match(lines.join("\n"), new RegExp(`STORAGE_FAILED: Cannot open data directory ".*": another process \\(pid ${first}\\) is using it`));

      cluster.part("storage").kill("SIGKILL");
      await cluster.restart("storage");
      assert.match(cluster.output(), new RegExp(`Took over the data directory from a storage process that is gone pid=${first}`));
    } finally {
      await cluster.stop();
    }
  });
});

describe("the storage actor when its disk fails", () => {
  const secret = randomBytes(32).toString("base64url");
  let broker: Broker;
  let tester: Actor;
  let dir: string;

  before(async () => {
    broker = await startBroker({ port: 0, actorSecret: secret });
    tester = await startActor({ url: broker.url, role: "tester", secret, handlers: {} });
  });
  after(async () => {
    tester?.close();
    await broker?.close();
  });
  const call = (op: string, body: unknown) => tester.session.request("storage", op, body, { timeout: 5000 });

  it("answers STORAGE_FAILED and disconnects after an fsync fails, never ok", async () => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-storage-"));
    let failSync = false;
    let failed: StorageFailedError | undefined;
    const storage = await startStorage({
      url: broker.url,
      secret,
      dir,
      engine: { fileSystem: faultyFileSystem((op) => (failSync && op.kind === "datasync" ? fsError("EIO") : undefined)) },
      onFailed: (error) => (failed = error),
    });
    try {
      const kept = locator();
      await call("put", { locator: kept, value: new Uint8Array([1]) });
      failSync = true;
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => call("put", { locator: locator(), value: new Uint8Array([2]) })));
      for (const outcome of outcomes) {
        assert.equal(outcome.status, "rejected");
        assert.ok((outcome as PromiseRejectedResult).reason instanceof StrongroomError);
      }
      assert.equal((outcomes[0] as PromiseRejectedResult).reason.code, "STORAGE_FAILED");
      await eventually(() => failed !== undefined);
      await assert.rejects(call("get", { locator: kept }), (e: unknown) => e instanceof StrongroomError && e.code === "NO_ROUTE");
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers STORAGE_FAILED when the file size limit is reached, keeps serving and leaves consistent files", async () => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-storage-"));
    const { command, args } = selfCommand(["storage", "--url", broker.url, "--data", dir]);
    const child = spawn(command, args, {
      env: { ...process.env, STRONGROOM_ACTOR_SECRET: secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await eventually(() => call("stats", {}), 20_000);
      // The limit (what `ulimit -f 64` sets) is lowered only now that the part runs, so that the
      // runtime's own start-up writes (Deno's caches) are not the ones to hit it.
      execFileSync("prlimit", ["--pid", String(child.pid), "--fsize=65536:"]);
      const acknowledged = new Map<Uint8Array, Uint8Array>();
      let refusal: unknown;
      for (let i = 0; i < 40 && refusal === undefined; i++) {
        const key = locator();
        const value = new Uint8Array(randomBytes(3000));
        try {
          await call("put", { locator: key, value });
          acknowledged.set(key, value);
        } catch (error) {
          refusal = error;
        }
      }
      assert.ok(refusal instanceof StrongroomError, "a put was refused");
      assert.equal(refusal.code, "STORAGE_FAILED");
      assert.match(refusal.message, /file size limit is full/);
      assert.ok(acknowledged.size >= 15, `${acknowledged.size} puts before the limit`);
      const [someKey, someValue] = [...acknowledged][0]!;
      const { value: got } = (await call("get", { locator: someKey })) as { value: Uint8Array };
      assert.deepEqual(new Uint8Array(got), someValue);
      child.kill("SIGTERM");
      await exited;

      let report: RecoveryReport | undefined;
      const engine = await openEngine(dir, { onEvent: (e) => e.type === "opened" && (report = e) });
      assert.equal(report?.truncatedBytes, 0);
      assert.equal(report?.damagedRuns, 0);
      assert.equal(report?.records, acknowledged.size);
      for (const [key, value] of acknowledged) assert.deepEqual(await engine.get(key), value);
      await engine.close();
    } finally {
      child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
