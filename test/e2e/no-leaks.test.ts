import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect, encodeBase64Url, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";

function readAll(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? readAll(join(dir, entry.name)) : readFileSync(join(dir, entry.name)),
    ),
  );
}

describe("secrets stay out of the disk and the logs", () => {
  let cluster: Cluster;
  let client: StrongroomClient;

  before(async () => {
    cluster = await startCluster({ env: { STRONGROOM_LOG: "debug" } });
    client = await connect(cluster.url);
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  it("writes no id, key or plaintext to the data directory or any output", async () => {
    const secrets: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      // Long random values, as bytes and in the text forms a leak could take.
      const id = randomBytes(24);
      const payload = randomBytes(64);
      const key = Buffer.from(await client.store(id, payload));
      await client.retrieve(id, key);
      await client.retrieve(id, randomBytes(32)).catch(() => {});
      secrets.push(id, payload, key);
    }
    await client.retrieve(randomBytes(24), randomBytes(31)).catch(() => {});
    const disk = readAll(cluster.dataDir);
    assert.ok(disk.length > 50 * 64, "the data directory holds the records");
    const output = cluster.output();
    for (const secret of secrets) {
      assert.equal(disk.indexOf(secret), -1, "a secret is in the data directory");
      for (const text of [secret.toString("hex"), secret.toString("base64"), encodeBase64Url(secret), secret.toString("latin1")]) {
        assert.equal(output.includes(text), false, "a secret is in the output of a part");
        assert.equal(disk.includes(text), false, "a secret is in the data directory as text");
      }
    }
  });
});
