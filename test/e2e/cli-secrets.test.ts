import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { EXIT_CODES, selfCommand } from "../../src/cli/mod.ts";
import { onTerminal } from "../_helpers/terminal.ts";

type Result = { status: number; stdout: string; stderr: string };

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const { command, args: full } = selfCommand(args);
    const child = execFile(command, full, { env: { ...process.env, ...options.env } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? "");
  });
}

describe("strongroom CLI keeps keys and tokens out of argv", () => {
  let cluster: Cluster;
  let dir: string;
  let env: Record<string, string>;
  const TOKEN = randomBytes(18).toString("base64url");
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-secrets-"));
    writeFileSync(join(dir, "tokens"), `secrets ${TOKEN}\n`, { mode: 0o600 });
    cluster = await startCluster({ brokerArgs: ["--tokens", join(dir, "tokens")] });
    env = { STRONGROOM_URL: cluster.url, STRONGROOM_TOKEN: TOKEN };
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function store(id: string, text: string): Promise<string> {
    const stored = await cli(["store", id], { input: text, env });
    assert.equal(stored.status, 0, stored.stderr);
    return stored.stdout.trim();
  }

  it("reads the key of retrieve and delete from stdin, or from STRONGROOM_KEY", async () => {
    const key = await store("piped", "by stdin");
    const piped = await cli(["retrieve", "piped"], { input: `${key}\n`, env });
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, "by stdin");
    assert.equal(piped.stderr, "");
    const fromEnv = await cli(["retrieve", "piped"], { env: { ...env, STRONGROOM_KEY: key } });
    assert.equal(fromEnv.stdout, "by stdin");
    assert.equal((await cli(["delete", "piped"], { input: key, env })).status, 0);
    assert.equal((await cli(["retrieve", "piped"], { input: key, env })).status, EXIT_CODES.NOT_FOUND);
    const none = await cli(["retrieve", "piped"], { env });
    assert.equal(none.status, EXIT_CODES.USAGE);
    assert.equal(none.stderr, 'strongroom: USAGE: No key for "retrieve": pipe it in (echo "$KEY" | strongroom retrieve <id>), set STRONGROOM_KEY, or give it after the id\n');
    assert.equal((await cli(["retrieve", "piped"], { input: "not a key\n", env })).status, EXIT_CODES.BAD_REQUEST);
  });

  it("reads the key without echo at a terminal", async () => {
    const key = await store("typed", "typed");
    // Typed once the prompt shows, as a person does: the terminal echoes what comes before.
    const { command, args } = selfCommand(["retrieve", "typed"]);
    const line = [command, ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
    const child = spawn("script", ["-qec", line, "/dev/null"], { env: { ...process.env, ...env } });
    let screen = "";
    let typed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString().replaceAll("\r", "");
      if (!typed && screen.includes("Key: ")) {
        typed = true;
        child.stdin.write(`${key}\r`);
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(status, 0, screen);
    assert.equal(screen, "Key: \ntyped");
  });

  it("still takes a key as an argument, warning about ps when stderr is a terminal", async () => {
    const key = await store("argued", "as an argument");
    const quiet = await cli(["retrieve", "argued", key], { env });
    assert.equal(quiet.stdout, "as an argument");
    assert.equal(quiet.stderr, "", "no warning into a pipe or a log");
    const warned = onTerminal(["retrieve", "argued", key], "", env);
    assert.equal(warned.status, 0, warned.screen);
    assert.match(warned.screen, /^strongroom: warning: a key in the arguments is visible to other users of this machine \(ps\); pipe it in \(echo "\$KEY" \| strongroom retrieve <id>\) or set STRONGROOM_KEY\n/);
    assert.ok(warned.screen.endsWith("as an argument"));
  });

  it("takes the token from STRONGROOM_TOKEN or --token-file, and warns about --token at a terminal", async () => {
    const { STRONGROOM_TOKEN: _, ...noToken } = env;
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const withFile = await cli(["store", "filed", "--token-file", tokenFile], { input: "x", env: noToken });
    assert.equal(withFile.status, 0, withFile.stderr);
    const fromEnvFile = await cli(["store", "filed"], { input: "x", env: { ...noToken, STRONGROOM_TOKEN_FILE: tokenFile } });
    assert.equal(fromEnvFile.status, 0, fromEnvFile.stderr);
    writeFileSync(join(dir, "wrong"), "wrong-token\n");
    assert.equal((await cli(["store", "filed", "--token-file", join(dir, "wrong")], { input: "x", env: noToken })).status, EXIT_CODES.UNAUTHENTICATED);
    const missing = await cli(["store", "filed", "--token-file", join(dir, "missing")], { input: "x", env: noToken });
    assert.equal(missing.status, EXIT_CODES.LOCAL_FILE);
    assert.match(missing.stderr, /^strongroom: LOCAL_FILE: Cannot read token file ".*missing" of --token-file: no such file or directory\n$/);
    const flagged = onTerminal(["status", "--token", TOKEN], "", noToken);
    assert.equal(flagged.status, 0, flagged.screen);
    assert.match(flagged.screen, /^strongroom: warning: a token given as --token is visible to other users of this machine \(ps\); set STRONGROOM_TOKEN or give --token-file FILE\n/);
  });
});
