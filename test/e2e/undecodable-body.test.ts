import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { actorsOf } from "../_helpers/actors.ts";
import { clusterWithClient } from "../_helpers/cluster.ts";
import { cbor, frame } from "../_helpers/frames.ts";
import { rawPeer } from "../_helpers/raw-peer.ts";

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

// Bodies the encryptor cannot decode or read: nobody on the way looks inside them.
const BODIES: Record<string, Uint8Array> = {
  "bytes that are not CBOR": new Uint8Array([0xff, 0xfe, 0x00]),
  "a map cut short": new Uint8Array([0xa2, 0x61, 0x74]),
  "an indefinite-length map never closed": new Uint8Array([0xbf, 0x61, 0x74, 0x01]),
  "two values": new Uint8Array([0x01, 0x02]),
  "a map with a byte-string key": new Uint8Array([0xa1, 0x41, 0x01, 0x01]),
  "a tag where the arguments should be": new Uint8Array([0xc1, 0x00]),
  "the arguments of another op": cbor({ locator: new Uint8Array(32), value: new Uint8Array(4) }),
  "an indefinite-length byte string": Uint8Array.from([0xa1, 0x67, ...utf8("payload"), 0x5f, 0x41, 0x01, 0xff]),
};

describe("a request whose body the actors cannot read", () => {
  const suite = clusterWithClient({ client: { timeout: 30_000 } });

  it("is answered BAD_REQUEST by the actor, costs neither the sender nor the encryptor its connection, and fails none of the stores sent alongside", async () => {
    const { cluster, client } = suite;
    const [encryptor] = await actorsOf(client);
    assert.ok(encryptor);
    const stores = Promise.allSettled(Array.from({ length: 300 }, (_, i) => client.store(`in-flight-${i}`, new Uint8Array(1000))));
    const sender = await rawPeer(cluster.url);
    for (const [name, body] of Object.entries(BODIES)) {
      sender.send(frame({ t: "req", id: 7, to: "encryptor", op: "store", ttl: 10_000, body }));
      const answer = await sender.next();
      assert.equal(answer.t, "err", name);
      assert.equal(answer.id, 7, name);
      assert.equal(answer.code, "BAD_REQUEST", name);
    }
    // The sender keeps its connection, and several requests in one frame are answered each.
    sender.send(frame(
      { t: "req", id: 8, to: "$broker", op: "stats", body: null },
      { t: "req", id: 9, to: "encryptor", op: "store", ttl: 10_000, body: new Uint8Array([0xff]) },
    ));
    const answers = [await sender.next(), await sender.next()].sort((a, b) => Number(a.id) - Number(b.id));
    assert.deepEqual(answers.map((a) => [a.id, a.t]), [[8, "res"], [9, "err"]]);
    // A body that is a plain value but not a byte string is the envelope's fault: the broker answers it.
    sender.send(cbor({ t: "req", id: 10, to: "encryptor", op: "store", ttl: 10_000, body: "text" }));
    const refused = await sender.next();
    assert.deepEqual([refused.id, refused.code], [10, "BAD_REQUEST"]);
    assert.match(refused.message ?? "", /"body": expected a byte string/);
    // A body that is a map, as in version 1, leaves no way to find the end of the envelope without
    // walking it: that costs the sender its connection.
    sender.send(cbor({ t: "req", id: 11, to: "encryptor", op: "store", ttl: 10_000, body: { id: new Uint8Array(1) } }));
    assert.deepEqual(await sender.closed, { code: 1002, reason: 'Invalid field "body": expected a plain value' });
    assert.deepEqual((await stores).filter((o) => o.status === "rejected"), []);
    // The same connection at the broker, not one made again after a drop.
    assert.deepEqual((await actorsOf(client)).map((a) => a.id), [encryptor.id]);
    const key = await client.store("after", "still served");
    assert.equal(new TextDecoder().decode(await client.retrieve("after", key)), "still served");
  });
});
