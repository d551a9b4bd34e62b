import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { COMMANDS } from "./commands/mod.ts";
import { LocalFileError, UsageError } from "./errors.ts";
import { readSettings } from "./settings.ts";

const dir = mkdtempSync(join(tmpdir(), "strongroom-settings-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(values: unknown): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof values === "string" ? values : JSON.stringify(values));
  return path;
}

function command(name: string) {
  const found = COMMANDS.find((c) => c.name === name);
  assert.ok(found, name);
  return found;
}

/** Reads as the command line does, with no config file unless one is named. */
function read(name: string, argv: string[], env: Record<string, string> = {}) {
  return readSettings(command(name), argv, { STRONGROOM_CONFIG: configFile({}), ...env }, COMMANDS);
}

function refuses(name: string, argv: string[], env: Record<string, string>, pattern: RegExp) {
  assert.throws(() => read(name, argv, env), (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

describe("readSettings()", () => {
  it("uses the defaults when nothing is set", () => {
    const { settings, positionals, given } = read("store", ["a", "b"]);
    assert.deepEqual(positionals, ["a", "b"]);
    assert.deepEqual({ url: settings.url, timeout: settings.timeout, token: settings.token, json: settings.json }, {
      url: "ws://127.0.0.1:7070",
      timeout: 10_000,
      token: undefined,
      json: false,
    });
    assert.deepEqual([...given], ["config"]);
    const up = read("up", []).settings;
    assert.deepEqual([up.port, up.data, up.encryptors, up.log, up.grace], [7070, "./data", 1, "info", 10_000]);
    const bench = read("bench", []).settings;
    assert.deepEqual([bench.batch, bench.batchSize], [100, 1024]);
  });

  it("gives a command only its own settings", () => {
    const { settings } = read("status", []);
    assert.deepEqual(Object.keys(settings).sort(), ["config", "context", "help", "json", "timeout", "tlsCa", "token", "tokenFile", "url"]);
  });

  it("takes a flag over the environment over the command's section over the shared settings of the config file", () => {
    const config = configFile({ port: 1111, data: "/from/file", encryptors: 3, grace: 1, up: { grace: 2, heartbeat: 3 } });
    const env = { STRONGROOM_CONFIG: config, STRONGROOM_PORT: "2222", STRONGROOM_DATA: "/from/env" };
    const { settings, configPath } = read("up", ["--port", "3333"], env);
    assert.deepEqual([settings.port, settings.data, settings.encryptors, settings.grace, settings.heartbeat], [3333, "/from/env", 3, 2, 3]);
    assert.equal(configPath, config);
    // The client's default URL follows the broker's address wherever that is set, flags aside (they are another command's).
    assert.equal(read("store", [], env).settings.url, "ws://127.0.0.1:2222");
  });

  it("refuses a flag the command does not read, naming it, the commands that read it, and what the command takes", () => {
    refuses("store", ["x", "--encryptors", "3"], {}, /^Unknown flag "--encryptors" for "store"; it is a setting of "up" and "bench"; "store" takes --url, --token, --token-file, --context, --timeout, --tls-ca, --config, --json, --help/);
    refuses("status", ["--data", "/tmp"], {}, /^Unknown flag "--data" for "status"; it is a setting of "up" and "storage"; "status" takes --url,/);
    refuses("store", ["--tiemout", "5"], {}, /^Unknown flag "--tiemout" for "store" \(did you mean "--timeout"\?\)/);
    refuses("broker", ["--port"], {}, /^Missing value of flag "--port" of "broker": give it as --port N/);
  });

  it("lets the environment and the config file carry settings of other commands", () => {
    const config = configFile({ encryptors: 3, data: "/elsewhere", bench: { duration: 500 } });
    const { settings } = read("store", [], { STRONGROOM_CONFIG: config, STRONGROOM_DATA: "/tmp", STRONGROOM_ENCRYPTORS: "bogus" });
    assert.equal(settings.url, "ws://127.0.0.1:7070");
    assert.equal(read("bench", [], { STRONGROOM_CONFIG: config }).settings.duration, 500);
  });

  it("refuses a config key that no command reads, and a key in a command's section that it does not read", () => {
    refuses("store", [], { STRONGROOM_CONFIG: configFile({ prot: 1 }) }, /^Unknown setting "prot" in config file ".*" \(did you mean "port"\?\)/);
    refuses("store", [], { STRONGROOM_CONFIG: configFile({ store: { encryptors: 2 } }) }, /^Unknown setting "encryptors" in section "store" of config file ".*": "store" reads url, token, tokenFile, context, timeout, tlsCa$/);
    refuses("store", [], { STRONGROOM_CONFIG: configFile({ store: 3 }) }, /^Invalid section "store"/);
  });

  it("takes an argument shaped like a key as a value even when it begins with a dash, and nothing else", () => {
    const key = `-${"A".repeat(41)}_`;
    const { settings, positionals } = read("retrieve", ["id", key, "--json", "--token", key]);
    assert.deepEqual(positionals, ["id", key]);
    assert.equal(settings.json, true);
    assert.equal(settings.token, key);
    assert.deepEqual(read("delete", ["--", "-id", key]).positionals, ["-id", key]);
    refuses("retrieve", ["id", key.slice(0, -1)], {}, /Unknown flag/);
    refuses("retrieve", ["id", `${key}A`], {}, /Unknown flag/);
  });

  it("reads the actor secret only from the environment", () => {
    assert.equal(read("broker", [], { STRONGROOM_ACTOR_SECRET: "x".repeat(32) }).settings.actorSecret, "x".repeat(32));
    refuses("broker", ["--actor-secret", "x".repeat(32)], {}, /Unknown flag "--actor-secret"/);
    refuses("broker", [], { STRONGROOM_CONFIG: configFile({ actorSecret: "x".repeat(32) }) }, /Unknown setting "actorSecret" in config file/);
    refuses("broker", [], { STRONGROOM_ACTOR_SECRET: "short" }, /Invalid setting "actorSecret" from STRONGROOM_ACTOR_SECRET: expected at least 16/);
  });

  it("names the setting and its source when a value is invalid", () => {
    refuses("broker", ["--port", "70000"], {}, /Invalid setting "port" from --port: expected an integer from 0 to 65535, got "70000"/);
    refuses("broker", [], { STRONGROOM_PORT: "abc" }, /Invalid setting "port" from STRONGROOM_PORT/);
    refuses("broker", [], { STRONGROOM_CONFIG: configFile({ port: "7070x" }) }, /Invalid setting "port" from "port" in .*config-/);
    refuses("up", [], { STRONGROOM_CONFIG: configFile({ up: { port: "x" } }) }, /Invalid setting "port" from "port" in its section of .*config-/);
    refuses("store", ["--url", "http://x"], {}, /Invalid setting "url" from --url: expected a ws:\/\/ or wss:\/\/ URL/);
    refuses("up", ["--encryptors", "0"], {}, /Invalid setting "encryptors"/);
    refuses("store", ["--timeout", "1.5"], {}, /Invalid setting "timeout"/);
    refuses("bench", ["--batch", "1001"], {}, /Invalid setting "batch" from --batch: expected an integer from 0 to 1000/);
    refuses("bench", ["--batch-size", "2x"], {}, /Invalid setting "batchSize" from --batch-size: expected a size/);
    refuses("bench", ["--batch-size", "17m"], {}, /Invalid setting "batchSize" from --batch-size: .*at most 16777216 bytes/);
    refuses("storage", [], { STRONGROOM_LOG: "bogus" }, /Invalid setting "log" from STRONGROOM_LOG: expected one of "debug", "info", "warn", "error", got "bogus"/);
    // A setting of another command is not read, so not checked either.
    assert.equal(read("store", [], { STRONGROOM_LOG: "bogus" }).settings.url, "ws://127.0.0.1:7070");
  });

  it("refuses a config file that is missing, not JSON or not an object", () => {
    assert.throws(() => read("store", ["--config", join(dir, "missing.json")]), (error: unknown) => {
      assert.ok(error instanceof LocalFileError);
      assert.match(error.message, /^Cannot read config file ".*missing.json": no such file or directory$/);
      return true;
    });
    refuses("store", ["--config", configFile("{ nope")], {}, /not valid JSON/);
    refuses("store", ["--config", configFile("[1]")], {}, /expected a JSON object/);
  });
});
