import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLoopback, resolveBrokerOptions } from "./options.ts";

describe("resolveBrokerOptions()", () => {
  it("applies the defaults", () => {
    const options = resolveBrokerOptions({ actorSecret: "s" });
    assert.equal(options.host, "127.0.0.1");
    assert.equal(options.maxFrame, 16 * 1024 * 1024);
    assert.equal(options.heartbeat, 10_000);
    assert.deepEqual(options.publicRoles, ["encryptor"]);
  });

  it("refuses to listen off loopback without client tokens", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
      assert.throws(() => resolveBrokerOptions({ actorSecret: "s", host }), (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /"tokens".*not a loopback address, needs client tokens/);
        return true;
      });
    }
    assert.equal(resolveBrokerOptions({ actorSecret: "s", host: "0.0.0.0", tokens: { t: "acme" } }).host, "0.0.0.0");
  });

  it("names the option that is out of range", () => {
    assert.throws(() => resolveBrokerOptions({ actorSecret: "" }), { name: "TypeError", message: /"actorSecret"/ });
    assert.throws(() => resolveBrokerOptions({ actorSecret: "s", maxFrame: 0 }), { name: "RangeError", message: /"maxFrame"/ });
    assert.throws(() => resolveBrokerOptions({ actorSecret: "s", heartbeat: -1 }), { name: "RangeError", message: /"heartbeat"/ });
    assert.throws(() => resolveBrokerOptions({ actorSecret: "s", maxQueue: 1.5 }), { name: "RangeError", message: /"maxQueue"/ });
    assert.throws(() => resolveBrokerOptions({ actorSecret: "s", maxFrame: 5000, maxBuffered: 9999 }), { name: "RangeError", message: /"maxBuffered"/ });
    // A frame must hold an id of the largest size and still some payload.
    assert.throws(() => resolveBrokerOptions({ actorSecret: "s", maxFrame: 5000, maxId: 2000 }), { name: "RangeError", message: /"maxId"/ });
    assert.equal(resolveBrokerOptions({ actorSecret: "s", maxFrame: 5000, maxId: 1900 }).maxId, 1900);
  });
});

describe("isLoopback()", () => {
  it("knows loopback addresses", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) assert.equal(isLoopback(host), true, host);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com", "127.0.0.1.example.com"]) assert.equal(isLoopback(host), false, host);
  });
});
