import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { wsFactory } from "../../test/_helpers/sockets.ts";
import { Stack } from "../../test/_helpers/stack.ts";
import { selfSignedCertificate } from "../../test/_helpers/tls.ts";
import { Connection } from "./connection.ts";

describe("Connection.open()", () => {
  const stack = new Stack("connection test actor secret");
  afterEach(() => stack.stop());

  it("says why the socket could not connect: a certificate it does not trust", async () => {
    const tls = selfSignedCertificate();
    stack.defer(() => tls.remove());
    const broker = await stack.broker({ tls: { cert: tls.cert, key: tls.key } });
    assert.match(broker.url, /^wss:/);
    await assert.rejects(Connection.open(wsFactory, broker.url), (error: Error & { code?: string }) => {
      assert.equal(error.code, "UNAVAILABLE");
      assert.match(error.message, /^Cannot connect to "wss:\/\/[^"]+": connection closed \(\d+\): .*certificate/i);
      return true;
    });
  });
});
