import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { EXIT_CODES, selfCommand } from "../../src/cli/mod.ts";
import { onTerminal } from "../_helpers/terminal.ts";

type Result = { status: number; stdout: Buffer; stderr: string };

/** Runs the CLI with pipes for stdin, stdout and stderr. */
function cli(args: string[], options: { input?: Uint8Array | string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const { command, args: full } = selfCommand(args);
    const child = execFile(command, full, { encoding: "buffer", env: { ...process.env, ...options.env } }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr: stderr.toString() }),
    );
    child.stdin!.end(options.input ?? "");
  });
}

describe("strongroom CLI for people", () => {
  let cluster: Cluster;
  let dir: string;
  const TOKEN = randomBytes(18).toString("base64url");
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-people-"));
    writeFileSync(join(dir, "tokens"), `people ${TOKEN}\n`, { mode: 0o600 });
    cluster = await startCluster({ brokerArgs: ["--tokens", join(dir, "tokens")] });
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says a missing file or a directory given to store is a local file, with what to do", async () => {
    for (const [file, problem] of [[join(dir, "missing"), "no such file or directory"], [dir, "it is a directory"]] as const) {
      const result = await cli(["store", "x", file, "--url", cluster.url]);
      assert.equal(result.status, EXIT_CODES.LOCAL_FILE);
      assert.equal(result.stderr, `strongroom: LOCAL_FILE: Cannot read file "${file}": ${problem}; give the path of a file, or - (or nothing) to read stdin\n`);
    }
  });

  it("says a port in use is one, with what to do", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await cli(["broker", "--port", String(port)], { env: { STRONGROOM_ACTOR_SECRET: "s".repeat(32), STRONGROOM_LOG: "error" } });
      assert.equal(result.status, EXIT_CODES.CANNOT_LISTEN, result.stderr);
      assert.match(result.stderr, new RegExp(`strongroom: CANNOT_LISTEN: Cannot listen on 127.0.0.1:${port}: another process uses that port; stop it, or choose another port with --port \\(0 picks a free one\\)\\n$`));
    } finally {
      taken.close();
    }
  });

  it("words usage errors once, and suggests -- with quoting for an argument that begins with a dash", async () => {
    const arity = await cli(["retrieve", "a", "b", "c"]);
    assert.equal(arity.status, EXIT_CODES.USAGE);
    assert.equal(arity.stderr, 'strongroom: USAGE: "retrieve" takes <id> [key], not 3 arguments: run "strongroom retrieve --help"\n');
    for (const [id, quoted] of [["-dash", "-dash"], ["-it's", `'-it'\\''s'`]]) {
      const result = await cli(["store", id!]);
      assert.equal(result.status, EXIT_CODES.USAGE);
      assert.ok(result.stderr.includes(`put it after --, as in: strongroom store -- ${quoted};`), result.stderr);
      // The suggestion works as written, in a shell.
      const suggested = /as in: (strongroom store -- .*?); "store"/.exec(result.stderr)![1]!;
      const { command, args } = selfCommand([]);
      const shell = spawnSync("bash", ["-c", `strongroom() { ${[command, ...args].map((w) => `'${w}'`).join(" ")} "$@"; }; echo hi | ${suggested}`], {
        encoding: "utf8",
        env: { ...process.env, STRONGROOM_URL: cluster.url },
      });
      assert.equal(shell.status, 0, shell.stderr);
      assert.match(shell.stdout, /^[A-Za-z0-9_-]{43}\n$/);
    }
  });

  it("prints its version, and suggests the command or flag that was meant", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const shown = await cli(["--version"]);
    assert.equal(shown.status, 0);
    assert.equal(shown.stdout.toString(), `strongroom ${manifest.version}\n`);
    const command = await cli(["retreive", "id"]);
    assert.equal(command.status, EXIT_CODES.USAGE);
    assert.match(command.stderr, /^strongroom: USAGE: Unknown command "retreive" \(did you mean "retrieve"\?\): the commands are up, /);
    const flag = await cli(["store", "id", "--tiemout", "5"]);
    assert.match(flag.stderr, /^strongroom: USAGE: Unknown flag "--tiemout" for "store" \(did you mean "--timeout"\?\)/);
  });

  it("refuses to write binary to a terminal unless --force or -o FILE, and writes text to it", async () => {
    const binary = randomBytes(64);
    binary[0] = 0;
    const key = (await cli(["store", "bin", "--url", cluster.url], { input: binary })).stdout.toString().trim();
    const refused = onTerminal(["retrieve", "bin", "--url", cluster.url], "", { STRONGROOM_KEY: key });
    assert.equal(refused.status, EXIT_CODES.USAGE);
    assert.match(refused.screen, /^strongroom: USAGE: Refusing to write 64 bytes of binary data to the terminal: redirect stdout \(> file\), give -o FILE, or --force/);
    assert.equal(onTerminal(["retrieve", "bin", "--url", cluster.url, "--force"], "", { STRONGROOM_KEY: key }).status, 0);
    const out = join(dir, "out.bin");
    const written = onTerminal(["retrieve", "bin", "--url", cluster.url, "-o", out], "", { STRONGROOM_KEY: key });
    assert.equal(written.status, 0, written.screen);
    assert.deepEqual(readFileSync(out), binary);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const textKey = (await cli(["store", "text", "--url", cluster.url], { input: "hello, terminal\n" })).stdout.toString().trim();
    const text = onTerminal(["retrieve", "text", "--url", cluster.url], "", { STRONGROOM_KEY: textKey });
    assert.equal(text.status, 0, text.screen);
    assert.equal(text.screen, "hello, terminal\n");
    // Not a terminal: the bytes go as they are.
    assert.deepEqual((await cli(["retrieve", "bin", key, "--url", cluster.url])).stdout, binary);
  });

  it("says on stderr that store reads the terminal when it does", async () => {
    const typed = onTerminal(["store", "typed", "--url", cluster.url], "typed by hand\n\x04");
    assert.equal(typed.status, 0, typed.screen);
    assert.match(typed.screen, /strongroom: reading the record from the terminal; end it with Ctrl-D/);
    const key = /^([A-Za-z0-9_-]{43})$/m.exec(typed.screen)![1]!;
    assert.equal((await cli(["retrieve", "typed", key, "--url", cluster.url])).stdout.toString(), "typed by hand\n");
    const piped = await cli(["store", "piped", "--url", cluster.url], { input: "x" });
    assert.equal(piped.stderr, "");
  });

  it("saves, lists, shows, uses and removes contexts in files only their owner can read", async () => {
    const env = { XDG_CONFIG_HOME: join(dir, "config"), STRONGROOM_URL: "" };
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const wrongTokenFile = join(dir, "wrong-token");
    writeFileSync(wrongTokenFile, "not-a-token-of-the-broker\n", { mode: 0o600 });
    const saved = await cli(["context", "save", "local", "--url", cluster.url, "--token-file", tokenFile, "--timeout", "4000"], { env });
    assert.equal(saved.status, 0, saved.stderr);
    const file = join(dir, "config", "strongroom", "contexts", "local.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "config", "strongroom")).mode & 0o777, 0o700);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { url: cluster.url, tokenFile, timeout: 4000 });
    assert.equal((await cli(["context", "save", "other", "--url", "ws://127.0.0.1:1"], { env })).status, 0);
    assert.equal((await cli(["context", "save", "wrong", "--url", cluster.url, "--token-file", wrongTokenFile], { env })).status, 0);
    // The context's token file is what the client presents.
    assert.equal((await cli(["store", "ctx", "--context", "wrong"], { input: "x", env })).status, EXIT_CODES.UNAUTHENTICATED);

    // --context and STRONGROOM_CONTEXT pick one; a flag wins over it.
    const stored = await cli(["store", "ctx", "--context", "local"], { input: "by context", env });
    assert.equal(stored.status, 0, stored.stderr);
    const key = stored.stdout.toString().trim();
    assert.equal((await cli(["retrieve", "ctx", key], { env: { ...env, STRONGROOM_CONTEXT: "local" } })).stdout.toString(), "by context");
    assert.equal((await cli(["retrieve", "ctx", key, "--context", "wrong", "--token-file", tokenFile], { env })).status, 0);
    assert.equal((await cli(["retrieve", "ctx", key, "--context", "other"], { env })).status, EXIT_CODES.UNAVAILABLE);

    // "use" makes one the default.
    assert.equal((await cli(["retrieve", "ctx", key], { env })).status, EXIT_CODES.UNAVAILABLE, "no context yet: the default URL");
    assert.equal((await cli(["context", "use", "local"], { env })).status, 0);
    assert.equal((await cli(["retrieve", "ctx", key], { env })).stdout.toString(), "by context");
    assert.equal((await cli(["context", "list"], { env })).stdout.toString(), "* local\n  other\n  wrong\n");
    assert.equal((await cli(["context", "show"], { env })).stdout.toString(), `name: local\nurl: ${cluster.url}\ntokenFile: ${tokenFile}\ntimeout: 4000\n`);

    const unknown = await cli(["store", "x", "--context", "locl"], { env });
    assert.equal(unknown.status, EXIT_CODES.USAGE);
    assert.equal(unknown.stderr, 'strongroom: USAGE: Unknown context "locl" (did you mean "local"?): the saved ones are local, other, wrong\n');

    assert.equal((await cli(["context", "remove", "local"], { env })).status, 0);
    assert.equal((await cli(["context", "list"], { env })).stdout.toString(), "  other\n  wrong\n");
    assert.equal((await cli(["retrieve", "ctx", key], { env })).status, EXIT_CODES.UNAVAILABLE, "the removed context is no longer the default");
  });
});
