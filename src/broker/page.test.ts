import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { startBroker } from "./broker.ts";
import { servePage } from "./page.ts";

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("servePage()", () => {
  const dir = mkdtempSync(join(tmpdir(), "strongroom-page-"));
  const empty = mkdtempSync(join(tmpdir(), "strongroom-page-empty-"));
  const served = createServer((request, response) => {
    if (!servePage(request, response, pathToFileURL(`${dir}/`))) response.writeHead(404).end();
  });
  const unbuilt = createServer((request, response) => {
    if (!servePage(request, response, pathToFileURL(`${empty}/`))) response.writeHead(404).end();
  });
  let base: string;
  let unbuiltBase: string;

  before(async () => {
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>page</title>");
    writeFileSync(join(dir, "app.js"), "console.log(1);");
    writeFileSync(join(dir, "page.css"), "body{}");
    base = await listen(served);
    unbuiltBase = await listen(unbuilt);
  });
  after(() => {
    served.close();
    unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it("serves the page at / with its type and headers that keep it to its own origin", async () => {
    const response = await fetch(`${base}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.match(response.headers.get("content-security-policy")!, /default-src 'none'; script-src 'self';.*connect-src 'self';.*frame-ancestors 'none'/);
    assert.equal(await response.text(), "<!doctype html><title>page</title>");
  });

  it("serves the script and the style sheet, with or without a query", async () => {
    const script = await fetch(`${base}/app.js?v=2`);
    assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await script.text(), "console.log(1);");
    const style = await fetch(`${base}/page.css`);
    assert.equal(style.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(await style.text(), "body{}");
  });

  it("answers HEAD without a body", async () => {
    const response = await fetch(`${base}/`, { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), "34");
    assert.equal(await response.text(), "");
  });

  it("leaves other paths and methods to the broker", async () => {
    for (const path of ["/index.html", "/healthz", "/%2e%2e/package.json", "/app.js/x"]) {
      const response = await fetch(`${base}${path}`);
      await response.body?.cancel();
      assert.equal(response.status, 404, path);
    }
    const post = await fetch(`${base}/`, { method: "POST", body: "x" });
    await post.body?.cancel();
    assert.equal(post.status, 404);
  });

  it("says how to build the page when it is not built", async () => {
    const response = await fetch(`${unbuiltBase}/`);
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build:web/);
  });
});

describe("the broker's HTTP side", () => {
  it("serves the page at / and still answers /healthz", async () => {
    const broker = await startBroker({ port: 0, actorSecret: "page test secret" });
    try {
      const http = broker.url.replace(/^ws:/, "http:");
      const page = await fetch(`${http}/`);
      await page.body?.cancel();
      // 200 once built (npm ci builds it), 503 with instructions before: either way the broker serves /.
      assert.ok([200, 503].includes(page.status), `status ${page.status}`);
      assert.ok(page.headers.get("content-security-policy"));
      const health = await fetch(`${http}/healthz`);
      assert.equal(await health.text(), "ok\n");
    } finally {
      await broker.close();
    }
  });
});
