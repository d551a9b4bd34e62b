import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encode } from "../../src/protocol/wire/mod.ts";
import { actorsOf } from "../_helpers/actors.ts";
import { clusterWithClient } from "../_helpers/cluster.ts";
import { rawPeer } from "../_helpers/raw-peer.ts";

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

// Bodies that are well-formed CBOR but that the actors' decoder (cbor-x) refuses.
const BODIES: Record<string, number[]> = {
  "a byte-string key": [0xa1, 0x41, 0x01, 0x01],
  "an array as a key": [0xa1, 0x80, 0x01],
  "an indefinite-length byte string": [0xa1, 0x67, ...utf8("payload"), 0x5f, 0x41, 0x01, 0xff],
  "an indefinite-length text string": [0x7f, 0x61, 0x61, 0xff],
  "a tag": [0xc1, 0x00],
};

/** A request to the encryptor, valid but for its body, written byte for byte. */
function requestWithBody(id: number, body: number[]): Uint8Array {
  const head = encode({ t: "req", id, to: "encryptor", op: "store", ttl: 10_000, body: null });
  // The body comes last: its bytes take the place of the null.
  return Uint8Array.from([...head.subarray(0, head.length - 1), ...body]);
}

describe("a request whose body the actors cannot decode", () => {
  const suite = clusterWithClient({ client: { timeout: 30_000 } });

  it("is answered BAD_REQUEST, costs neither the sender nor the encryptor its connection, and fails none of the stores sent alongside", async () => {
    const { cluster, client } = suite;
    const [encryptor] = await actorsOf(client);
    assert.ok(encryptor);
    const stores = Promise.allSettled(Array.from({ length: 300 }, (_, i) => client.store(`in-flight-${i}`, new Uint8Array(1000))));
    const sender = await rawPeer(cluster.url);
    for (const [name, body] of Object.entries(BODIES)) {
      sender.send(requestWithBody(7, body));
      assert.deepEqual(await sender.next(), {
        t: "err", id: 7, code: "BAD_REQUEST", message: `Invalid field "body": not CBOR of the protocol's data model`, retryable: false,
      }, name);
    }
    // The sender keeps its connection too.
    sender.send({ t: "req", id: 8, to: "$broker", op: "stats", body: null });
    assert.equal((await sender.next()).t, "res");
    // A body that is not even well-formed CBOR leaves no envelope to read: that costs the sender its connection.
    sender.send(requestWithBody(9, [0xbf, 0x61, 0x74, 0xff]));
    assert.deepEqual(await sender.closed, { code: 1002, reason: "Frame is not valid CBOR" });
    assert.deepEqual((await stores).filter((o) => o.status === "rejected"), []);
    // The same connection at the broker, not one made again after a drop.
    assert.deepEqual((await actorsOf(client)).map((a) => a.id), [encryptor.id]);
    const key = await client.store("after", "still served");
    assert.equal(new TextDecoder().decode(await client.retrieve("after", key)), "still served");
  });
});
