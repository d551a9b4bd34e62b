import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { InternalError } from "../../protocol/wire/mod.ts";
import { Stack } from "../../../test/_helpers/stack.ts";
import { encryptorHandlers } from "./encryptor.ts";

const KEY = new Uint8Array(32).fill(7);

describe("encryptorHandlers()", () => {
  const stack = new Stack("encryptor test actor secret");
  afterEach(() => stack.stop());

  it("answers INTERNAL, not BAD_REQUEST, when storage answers get or getMany malformed", async () => {
    const { url } = await stack.broker();
    await stack.actor(url, "encryptor", { handlers: encryptorHandlers() });
    let answer: unknown;
    // A storage actor that answers with whatever the test sets, as a faulty or newer one might.
    await stack.actor(url, "storage", { handlers: { get: () => answer, getMany: () => ({ results: [answer] }) } });
    const session = await stack.session(url);
    const cases = [
      [{ value: "not bytes" }, 'Invalid field "value": expected a byte string'],
      [{}, 'Invalid field "value": expected a byte string'],
      ["not a map", "Invalid body: expected a map"],
      [null, "Invalid body: expected a map"],
    ] as const;
    for (const [malformed, detail] of cases) {
      answer = malformed;
      await assert.rejects(session.request("encryptor", "retrieve", { id: new Uint8Array([1]), key: KEY }), (error: unknown) => {
        assert.ok(error instanceof InternalError, `${JSON.stringify(malformed)}: ${error}`);
        assert.equal(error.code, "INTERNAL");
        assert.equal(error.message, `Cannot read the answer of "storage" to "get": ${detail}`);
        return true;
      });
      await assert.rejects(session.request("encryptor", "retrieveMany", { items: [{ id: new Uint8Array([1]), key: KEY }] }), (error: unknown) => {
        assert.ok(error instanceof InternalError, `${JSON.stringify(malformed)}: ${error}`);
        assert.match(error.message, /^Cannot read the answer of "storage" to "getMany": Invalid (answer|field "value")/);
        return true;
      });
    }
  });
});
