import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { NotFoundError } from "../../src/client/mod.ts";
import { clusterWithClient } from "../_helpers/cluster.ts";

describe("durability of the storage process", () => {
  const suite = clusterWithClient();

  it("keeps every acknowledged store and delete across a SIGKILL of storage", async () => {
    const { cluster, client } = suite;
    const records = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const id = randomBytes(12);
        const payload = new Uint8Array(randomBytes(i * 37));
        return { id, payload, key: await client.store(id, payload) };
      }),
    );
    const deleted = records.splice(0, 20);
    await Promise.all(deleted.map(({ id, key }) => client.delete(id, key)));

    cluster.part("storage").kill("SIGKILL");
    await cluster.restart("storage");

    for (const { id, payload, key } of records) assert.deepEqual(await client.retrieve(id, key), payload);
    for (const { id, key } of deleted) await assert.rejects(client.retrieve(id, key), NotFoundError);
  });
});
