import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DEFAULT_GRACE_MS } from "./broker-settings.ts";
import { KILL_MARGIN_MS } from "./child.ts";
import { fillReference, renderReference } from "./reference.ts";

const PAGE = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");

describe("docs/cli.md", () => {
  it("has the tables of the commands, settings and exit statuses as the code has them (npm run docs writes them)", () => {
    assert.equal(PAGE, fillReference(PAGE, renderReference()));
  });

  it("states the grace period and the launcher's margin that the code applies", () => {
    assert.match(PAGE, new RegExp(`\\(\`--grace\`, default ${DEFAULT_GRACE_MS} ms,`));
    assert.match(PAGE, new RegExp(`kills a\\s+part that has not exited ${KILL_MARGIN_MS} ms after its grace period`));
  });

  it("fails a page without a section's markers", () => {
    assert.throws(() => fillReference("# nothing\n", renderReference()), /no markers for the section "commands"/);
  });
});
