import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { httpRouter } from "./http.ts";

describe("httpRouter()", () => {
  it("dispatches by method and path, ignores the query, answers 404 and 405 otherwise", async () => {
    const server = createServer(
      httpRouter({
        "GET /healthz": (_req, res) => res.end("ok"),
        "GET /": (_req, res) => res.end("page"),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const get = async (path: string, method = "GET") => {
        const response = await fetch(`${base}${path}`, { method });
        return [response.status, await response.text()];
      };
      assert.deepEqual(await get("/healthz"), [200, "ok"]);
      assert.deepEqual(await get("/healthz?verbose=1"), [200, "ok"]);
      assert.deepEqual(await get("/"), [200, "page"]);
      assert.deepEqual(await get("/nope"), [404, "Not found\n"]);
      assert.deepEqual(await get("/healthz", "POST"), [405, "Method not allowed\n"]);
      assert.deepEqual(await get("/__proto__"), [404, "Not found\n"]);
    } finally {
      server.close();
    }
  });
});
