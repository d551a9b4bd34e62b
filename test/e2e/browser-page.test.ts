import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { currentRuntime, scriptCommand } from "../../src/cli/runtime.ts";
import { encodeBase64Url } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARTIFACTS = `${ROOT}.test-artifacts`;
// Debian's package; .ci/run installs it. Elsewhere, point STRONGROOM_CHROMIUM at a Chromium.
const CHROMIUM = process.env.STRONGROOM_CHROMIUM ?? "/usr/bin/chromium";
// Quiet and self-contained: no sandbox (CI runs as root), no GPU, no traffic of Chromium's own.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe(`the page at / in headless Chromium, served by a broker on ${currentRuntime()}`, () => {
  let cluster: Cluster;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    // Never skipped: without Chromium the test fails and says why.
    assert.ok(existsSync(CHROMIUM), `Chromium is not at ${CHROMIUM}: install it (apt-get install chromium) or set STRONGROOM_CHROMIUM`);
    // The page as the sources are now, built the way npm ci builds it.
    const { command, args } = scriptCommand(currentRuntime(), `${ROOT}scripts/build-web.ts`, []);
    await promisify(execFile)(command, args, { cwd: ROOT });
    cluster = await startCluster();
    // Playwright makes a fresh, empty profile directory for each launch.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await page.goto(cluster.url.replace(/^ws:/, "http:"));
  });
  after(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  async function store(id: string, text: string): Promise<string> {
    await page.getByLabel("Id", { exact: true }).first().fill(id);
    await page.locator("#store-text").fill(text);
    await page.getByRole("button", { name: "Store" }).click();
    await page.locator("#store-result").waitFor();
    return await page.locator("#store-key").textContent() ?? "";
  }

  async function retrieve(id: string, key: string): Promise<void> {
    await page.locator("#retrieve-id").fill(id);
    await page.locator("#retrieve-key").fill(key);
    await page.getByRole("button", { name: "Retrieve" }).click();
    await page.locator("#retrieve-form:not([aria-busy])").waitFor();
  }

  it("stores a text, shows its key, retrieves it with id and key and shows the text", async () => {
    const text = `Meet at the old mill at dawn ✓ ${randomBytes(4).toString("hex")}`;
    const key = await store("notes/first", text);
    assert.match(key, /^[A-Za-z0-9_-]{43}$/, "the key is shown as unpadded base64url");

    await retrieve("notes/first", key);
    await page.locator("#retrieve-result").waitFor();
    assert.equal(await page.locator("#retrieve-text").textContent(), text);
    assert.match(await page.locator("#retrieve-summary").textContent() ?? "", /^\d+ bytes of text$/);
    assert.equal(await page.locator("#retrieve-error").isHidden(), true);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/page-round-trip-${currentRuntime()}.png`, fullPage: true });
  });

  it("shows NOT_FOUND and its message for a wrong key, and no content", async () => {
    await store("notes/second", "second");
    await retrieve("notes/second", encodeBase64Url(randomBytes(32)));
    const error = page.locator("#retrieve-error");
    await error.waitFor();
    assert.equal(await error.getAttribute("data-code"), "NOT_FOUND");
    assert.equal(await error.textContent(), "NOT_FOUND: No record matches this id and key");
    assert.equal(await page.locator("#retrieve-result").isHidden(), true);
    await page.screenshot({ path: `${ARTIFACTS}/page-not-found-${currentRuntime()}.png`, fullPage: true });
  });

  it("shows BAD_REQUEST for text that is not a key, without sending it", async () => {
    await retrieve("notes/second", "not-a-key");
    const error = page.locator("#retrieve-error");
    await error.waitFor();
    assert.equal(await error.textContent(), "BAD_REQUEST: Invalid key: expected 32 bytes as unpadded base64url (43 characters)");
  });

  it("stores a binary file and gives the same bytes back for download, then deletes it", async () => {
    const bytes = randomBytes(100_000);
    await page.locator("#store-id").fill("files/blob.bin");
    await page.getByLabel("File", { exact: true }).first().check();
    await page.locator("#store-file").setInputFiles({ name: "blob.bin", mimeType: "application/octet-stream", buffer: bytes });
    await page.getByRole("button", { name: "Store" }).click();
    await page.locator("#store-form:not([aria-busy])").waitFor();
    const key = await page.locator("#store-key").textContent() ?? "";

    await retrieve("files/blob.bin", key);
    assert.equal(await page.locator("#retrieve-summary").textContent(), "97.7 KiB of binary data");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#retrieve-download").click()]);
    assert.equal(download.suggestedFilename(), "files_blob.bin");
    assert.deepEqual(readFileSync(await download.path()), bytes);

    await page.getByRole("button", { name: "Delete" }).click();
    await page.locator("#retrieve-form:not([aria-busy])").waitFor();
    assert.match(await page.locator("#retrieve-summary").textContent() ?? "", /^Deleted/);
    await retrieve("files/blob.bin", key);
    assert.equal(await page.locator("#retrieve-error").getAttribute("data-code"), "NOT_FOUND");
  });

  it("ran without a script error, on a bundle that holds no ws code", () => {
    assert.deepEqual(problems, []);
    const bundle = readFileSync(`${ROOT}dist/web/app.js`, "utf8");
    assert.doesNotMatch(bundle, /ws does not work in the browser|WebSocketServer|perMessageDeflate/);
  });
});
