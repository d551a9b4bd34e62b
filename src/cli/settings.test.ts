import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readSettings, UsageError } from "./settings.ts";

const dir = mkdtempSync(join(tmpdir(), "strongroom-settings-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(values: unknown): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof values === "string" ? values : JSON.stringify(values));
  return path;
}

function refuses(argv: string[], env: Record<string, string>, pattern: RegExp) {
  assert.throws(() => readSettings(argv, env), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("readSettings()", () => {
  it("uses the defaults when nothing is set, without a config file in the working directory", () => {
    const { settings, positionals } = readSettings(["a", "b"], { STRONGROOM_CONFIG: configFile({}) });
    assert.deepEqual(positionals, ["a", "b"]);
    assert.equal(settings.url, "ws://127.0.0.1:7070");
    assert.equal(settings.port, 7070);
    assert.equal(settings.data, "./data");
    assert.equal(settings.encryptors, 1);
    assert.equal(settings.timeout, 10_000);
    assert.equal(settings.token, undefined);
    assert.equal(settings.json, false);
    assert.equal(settings.batch, 100);
    assert.equal(settings.batchSize, 1024);
    assert.equal(settings.log, "info");
  });

  it("takes a flag over the environment over the config file", () => {
    const config = configFile({ port: 1111, data: "/from/file", token: "file-token", encryptors: 3 });
    const env = { STRONGROOM_CONFIG: config, STRONGROOM_PORT: "2222", STRONGROOM_DATA: "/from/env" };
    const { settings } = readSettings(["--port", "3333"], env);
    assert.equal(settings.port, 3333);
    assert.equal(settings.data, "/from/env");
    assert.equal(settings.token, "file-token");
    assert.equal(settings.encryptors, 3);
    assert.equal(settings.url, "ws://127.0.0.1:3333");
    assert.equal(settings.config, config);
  });

  it("takes an argument shaped like a key as a value even when it begins with a dash, and nothing else", () => {
    const env = { STRONGROOM_CONFIG: configFile({}) };
    const key = `-${"A".repeat(41)}_`;
    const { settings, positionals } = readSettings(["retrieve", "id", key, "--json", "--token", key], env);
    assert.deepEqual(positionals, ["retrieve", "id", key]);
    assert.equal(settings.json, true);
    assert.equal(settings.token, key);
    assert.deepEqual(readSettings(["delete", "--", "-id", key], env).positionals, ["delete", "-id", key]);
    refuses(["retrieve", "id", key.slice(0, -1)], env, /Unknown option/);
    refuses(["retrieve", "id", `${key}A`], env, /Unknown option/);
  });

  it("reads the actor secret only from the environment", () => {
    assert.equal(readSettings([], { STRONGROOM_ACTOR_SECRET: "x".repeat(32) }).settings.actorSecret, "x".repeat(32));
    refuses(["--actorSecret", "x".repeat(32)], {}, /Unknown option '--actorSecret'/);
    refuses([], { STRONGROOM_CONFIG: configFile({ actorSecret: "x".repeat(32) }) }, /Unknown setting "actorSecret" in config file/);
    refuses([], { STRONGROOM_ACTOR_SECRET: "short" }, /Invalid setting "actorSecret" from STRONGROOM_ACTOR_SECRET: expected at least 16/);
  });

  it("names the setting and its source when a value is invalid", () => {
    refuses(["--port", "70000"], {}, /Invalid setting "port" from --port: expected an integer from 0 to 65535, got "70000"/);
    refuses([], { STRONGROOM_PORT: "abc" }, /Invalid setting "port" from STRONGROOM_PORT/);
    refuses([], { STRONGROOM_CONFIG: configFile({ port: "7070x" }) }, /Invalid setting "port" from "port" in .*config-/);
    refuses(["--url", "http://x"], {}, /Invalid setting "url" from --url: expected a ws:\/\/ or wss:\/\/ URL/);
    refuses(["--encryptors", "0"], {}, /Invalid setting "encryptors"/);
    refuses(["--timeout", "1.5"], {}, /Invalid setting "timeout"/);
    refuses(["--nope"], {}, /Unknown option '--nope'/);
    refuses(["--batch", "1001"], {}, /Invalid setting "batch" from --batch: expected an integer from 0 to 1000/);
    refuses(["--batch-size", "2x"], {}, /Invalid setting "batchSize" from --batch-size: expected a size/);
    refuses(["--batch-size", "17m"], {}, /Invalid setting "batchSize" from --batch-size: .*at most 16777216 bytes/);
    refuses([], { STRONGROOM_LOG: "bogus" }, /Invalid setting "log" from STRONGROOM_LOG: expected one of "debug", "info", "warn", "error", got "bogus"/);
  });

  it("refuses a config file that is missing, not JSON, not an object, or has unknown keys", () => {
    refuses(["--config", join(dir, "missing.json")], {}, /Cannot read config file ".*missing.json"/);
    refuses(["--config", configFile("{ nope")], {}, /not valid JSON/);
    refuses(["--config", configFile("[1]")], {}, /expected a JSON object/);
    refuses(["--config", configFile({ prot: 1 })], {}, /Unknown setting "prot" in config file/);
  });
});
