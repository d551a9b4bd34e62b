import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BROKER_DEFAULTS } from "../../src/broker/mod.ts";
import { COMMANDS, EXIT_CODES, selfCommand } from "../../src/cli/mod.ts";
import { commandHelp } from "../../src/cli/help.ts";
import { CODE_LIST, encodeBase64Url, errFrame } from "../../src/protocol/wire/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { startFakeBroker } from "../_helpers/fake-broker.ts";

const KEY = encodeBase64Url(new Uint8Array(32));

/** Runs the CLI without blocking the event loop, so that in-process servers keep answering. */
function cli(args: string[], input?: Uint8Array, env: Record<string, string> = {}): Promise<{ status: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const { command, args: full } = selfCommand(args);
    const child = execFile(command, full, { encoding: "buffer", maxBuffer: 1 << 26, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr: stderr.toString() }),
    );
    child.stdin!.end(input ?? new Uint8Array());
  });
}

describe("strongroom CLI against a real cluster", () => {
  let cluster: Cluster;
  let dir: string;
  before(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), "strongroom-cli-"));
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips a binary file byte for byte in a shell pipeline", () => {
    const file = join(dir, "in.bin");
    writeFileSync(file, randomBytes(300_000));
    const strongroom = (...args: string[]) => {
      const { command, args: full } = selfCommand(args);
      return [command, ...full].map((word) => `'${word}'`).join(" ");
    };
    const script = `set -e; KEY=$(${strongroom("store", "my id", "--url", cluster.url)} < "${file}"); ` +
      `${strongroom("retrieve", "my id", "--url", cluster.url)} "$KEY" > "${dir}/out.bin"; echo "$KEY"`;
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^[A-Za-z0-9_-]{43}\n$/);
    assert.deepEqual(readFileSync(join(dir, "out.bin")), readFileSync(file));
  });

  it("stores a named file, prints only the key, and deletes", async () => {
    const file = join(dir, "named.bin");
    writeFileSync(file, randomBytes(1000));
    const stored = await cli(["store", "named", file, "--url", cluster.url]);
    assert.equal(stored.status, 0, stored.stderr);
    const key = stored.stdout.toString().trim();
    const retrieved = await cli(["retrieve", "named", key, "--url", cluster.url]);
    assert.equal(retrieved.status, 0, retrieved.stderr);
    assert.deepEqual(retrieved.stdout, readFileSync(file));
    assert.equal((await cli(["delete", "named", key, "--url", cluster.url])).status, 0);
    const gone = await cli(["retrieve", "named", key, "--url", cluster.url]);
    assert.equal(gone.status, EXIT_CODES.NOT_FOUND);
    assert.equal(gone.stdout.length, 0);
    assert.equal(gone.stderr, "strongroom: NOT_FOUND: No record matches this id and key\n");
  });

  it("takes a key that begins with a dash, as one in 64 printed keys does", async () => {
    const key = `-${KEY.slice(1)}`;
    for (const command of ["retrieve", "delete"]) {
      const result = await cli([command, "never stored", key, "--url", cluster.url]);
      assert.equal(result.status, EXIT_CODES.NOT_FOUND, result.stderr);
    }
  });

  it("exits BAD_REQUEST for a key that is not 43 characters of base64url", async () => {
    for (const key of ["short", `${KEY}=`, "+".repeat(43)]) {
      const result = await cli(["retrieve", "id", key, "--url", cluster.url]);
      assert.equal(result.status, EXIT_CODES.BAD_REQUEST);
      assert.match(result.stderr, /^strongroom: BAD_REQUEST: Invalid key/);
    }
  });
});

describe("strongroom CLI exit statuses", () => {
  it("has a distinct status for each error code, usage errors and success", () => {
    const statuses = Object.values(EXIT_CODES);
    assert.equal(new Set(statuses).size, statuses.length);
    for (const code of CODE_LIST) assert.ok(Number.isInteger(EXIT_CODES[code]) && EXIT_CODES[code] > 0, code);
  });

  it("exits with the status of every code the service can answer, in text and in JSON", async () => {
    // `delete` is never tried again, so every code comes back as the first answer was.
    const broker = await startFakeBroker((req) => errFrame(req.id as number, Buffer.from((req.body as { id: Uint8Array }).id).toString() as never, "Refused for the test"));
    try {
      for (const code of CODE_LIST) {
        const text = await cli(["delete", code, KEY, "--url", broker.url]);
        assert.equal(text.status, EXIT_CODES[code], code);
        assert.equal(text.stderr, `strongroom: ${code}: Refused for the test\n`);
        const json = await cli(["delete", code, KEY, "--url", broker.url, "--json"]);
        assert.equal(json.status, EXIT_CODES[code]);
        assert.deepEqual(JSON.parse(json.stderr), { error: { code, message: "Refused for the test", exit: EXIT_CODES[code] } });
      }
    } finally {
      await broker.close();
    }
  });

  it("exits TIMEOUT when no answer comes within --timeout", async () => {
    const broker = await startFakeBroker(() => undefined);
    try {
      const result = await cli(["store", "id", "--url", broker.url, "--timeout", "200"], new Uint8Array([1]));
      assert.equal(result.status, EXIT_CODES.TIMEOUT);
      assert.match(result.stderr, /^strongroom: TIMEOUT: /);
    } finally {
      await broker.close();
    }
  });

  it("exits UNAVAILABLE when no broker listens", async () => {
    const result = await cli(["retrieve", "id", KEY, "--url", "ws://127.0.0.1:1"]);
    assert.equal(result.status, EXIT_CODES.UNAVAILABLE);
    assert.match(result.stderr, /^strongroom: UNAVAILABLE: Cannot connect to "ws:\/\/127.0.0.1:1"/);
  });

  it("exits USAGE for unknown commands, unknown flags, invalid settings and missing arguments", async () => {
    for (const args of [["nope"], ["store", "--nope"], ["store", "id", "--port", "x"], ["retrieve", "id"], []]) {
      const result = await cli(args);
      assert.equal(result.status, EXIT_CODES.USAGE, args.join(" "));
      if (args.length > 0) assert.match(result.stderr, /^strongroom: USAGE: /);
    }
  });

  it("refuses a flag that the command does not read, naming it, and takes other commands' settings from the environment and config file", async () => {
    const refused = [
      [["store", "x", "--encryptors", "3"], /^strongroom: USAGE: Unknown flag "--encryptors" for "store"; it is a setting of "up" and "bench"; "store" takes --url, /],
      [["status", "--data", "/tmp"], /^strongroom: USAGE: Unknown flag "--data" for "status"; it is a setting of "up" and "storage"; "status" takes --url, /],
    ] as const;
    for (const [args, message] of refused) {
      const result = await cli([...args]);
      assert.equal(result.status, EXIT_CODES.USAGE, args.join(" "));
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split("\n").length, 2, "one line");
    }
    const dir = mkdtempSync(join(tmpdir(), "strongroom-cli-config-"));
    try {
      const config = join(dir, "strongroom.json");
      writeFileSync(config, JSON.stringify({ data: "/tmp", encryptors: 3, status: { url: "ws://127.0.0.1:1" } }));
      // The shared keys belong to other commands; the section's URL is status's own.
      const status = await cli(["status", "--config", config], undefined, { STRONGROOM_DATA: "/tmp" });
      assert.equal(status.status, EXIT_CODES.UNAVAILABLE, status.stderr);
      assert.match(status.stderr, /Cannot connect to "ws:\/\/127.0.0.1:1"/);
      writeFileSync(config, JSON.stringify({ status: { data: "/tmp" } }));
      const refusedKey = await cli(["status", "--config", config]);
      assert.equal(refusedKey.status, EXIT_CODES.USAGE);
      assert.match(refusedKey.stderr, /^strongroom: USAGE: Unknown setting "data" in section "status" of config file ".*": "status" reads url, token, tokenFile, context, timeout, tlsCa\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows each setting's default in help, as the code has it", async () => {
    for (const command of COMMANDS) {
      const help = await cli([command.name, "--help"]);
      assert.equal(help.stdout.toString(), commandHelp(command), command.name);
    }
    const broker = (await cli(["broker", "--help"])).stdout.toString();
    assert.match(broker, new RegExp(`^  --grace MS .*\\[default: ${BROKER_DEFAULTS.shutdownTimeout}; STRONGROOM_GRACE\\]$`, "m"));
    assert.match(broker, new RegExp(`^  --heartbeat MS .*\\[default: ${BROKER_DEFAULTS.heartbeat}; STRONGROOM_HEARTBEAT\\]$`, "m"));
  });

  it("prints help with settings and examples for every command", async () => {
    const overview = await cli(["--help"]);
    assert.equal(overview.status, 0);
    for (const command of ["up", "broker", "encryptor", "storage", "store", "retrieve", "delete"]) {
      assert.match(overview.stdout.toString(), new RegExp(`^  ${command}`, "m"));
      const help = await cli([command, "--help"]);
      assert.equal(help.status, 0, command);
      assert.match(help.stdout.toString(), /Settings:\n {2}--/);
      assert.match(help.stdout.toString(), new RegExp(`Examples:\\n.*strongroom ${command}`));
    }
  });

  it("lists in the launcher's help the settings it hands to its parts, and in each actor's the certificates it trusts", async () => {
    const up = (await cli(["up", "--help"])).stdout.toString();
    for (const flag of ["--tokens", "--tls-ca", "--max-frame", "--max-id", "--heartbeat", "--allow-origin", "--grace", "--log"]) {
      assert.match(up, new RegExp(`^  ${flag} `, "m"), flag);
    }
    for (const part of ["encryptor", "storage"]) assert.match((await cli([part, "--help"])).stdout.toString(), /^  --tls-ca /m, part);
  });
});
