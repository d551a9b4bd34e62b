import assert from "node:assert/strict";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { SUBPROTOCOL } from "../protocol/wire/mod.ts";
import { startBroker } from "./mod.ts";
import { originAllowed } from "./origin.ts";

const at = (origin: string | undefined, host = "127.0.0.1:7070", secure = false) => ({ origin, host, secure });

describe("originAllowed()", () => {
  it("lets programs in: they send no Origin", () => {
    assert.equal(originAllowed(at(undefined), [], true), true);
  });

  it("lets in the broker's own pages, by the address they were served from", () => {
    assert.equal(originAllowed(at("http://127.0.0.1:7070"), [], true), true);
    assert.equal(originAllowed(at("http://localhost:7070", "localhost:7070"), [], true), true);
    assert.equal(originAllowed(at("http://[::1]:7070", "[::1]:7070"), [], true), true);
    assert.equal(originAllowed(at("https://vault.example", "vault.example", true), [], false), true);
  });

  it("refuses other sites, another port or scheme, and a rebound name on loopback", () => {
    assert.equal(originAllowed(at("https://evil.example"), [], true), false);
    assert.equal(originAllowed(at("http://127.0.0.1:8080"), [], true), false);
    assert.equal(originAllowed(at("https://127.0.0.1:7070"), [], true), false);
    assert.equal(originAllowed(at("http://evil.example:7070", "evil.example:7070"), [], true), false);
    assert.equal(originAllowed(at("null"), [], true), false);
  });

  it("lets in what the allow-list names, or everyone with *", () => {
    assert.equal(originAllowed(at("https://app.example"), ["https://app.example"], true), true);
    assert.equal(originAllowed(at("https://other.example"), ["https://app.example"], true), false);
    assert.equal(originAllowed(at("https://any.example"), ["*"], true), true);
  });
});

describe("the broker's WebSocket upgrade", () => {
  const upgrade = (url: string, origin?: string) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(url, SUBPROTOCOL, origin === undefined ? {} : { origin });
      socket.once("open", () => {
        socket.close();
        resolve(101);
      });
      socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      socket.once("error", () => {});
    });

  it("refuses pages from other origins with 403 and takes programs and its own pages", async () => {
    const broker = await startBroker({ port: 0, actorSecret: "secret", allowedOrigins: ["https://app.example"] });
    try {
      const own = broker.url.replace(/^ws/, "http");
      assert.equal(await upgrade(broker.url), 101);
      assert.equal(await upgrade(broker.url, own), 101);
      assert.equal(await upgrade(broker.url, "https://app.example"), 101);
      assert.equal(await upgrade(broker.url, "https://evil.example"), 403);
    } finally {
      await broker.close();
    }
  });
});
