import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { wsFactory } from "../../test/_helpers/sockets.ts";
import { Stack } from "../../test/_helpers/stack.ts";
import { selfSignedCertificate } from "../../test/_helpers/tls.ts";
import { Connection } from "./connection.ts";
import { MAX_TTL_MS } from "./limits.ts";

describe("Connection", () => {
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

  it("sends a budget longer than a request can carry, Infinity included, as the longest ttl the broker takes", async () => {
    const { url } = await stack.broker({ publicRoles: ["echo"] });
    // Answers with the budget it was given, as the actor runtime read it off the ttl.
    await stack.actor(url, "echo", { handlers: { budget: ({ deadline }) => deadline - performance.now() } });
    const connection = await Connection.open(wsFactory, url);
    stack.defer(() => connection.close());
    for (const options of [{ timeout: Infinity }, { timeout: 30 * 86_400_000 }, { timeout: MAX_TTL_MS + 1 }, { deadline: Infinity }]) {
      const budget = (await connection.request("echo", "budget", null, options)) as number;
      assert.ok(budget <= MAX_TTL_MS && budget > MAX_TTL_MS - 60_000, `${JSON.stringify(options)} arrived as ${budget} ms`);
    }
  });
});
