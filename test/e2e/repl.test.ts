import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { selfCommand } from "../../src/cli/mod.ts";
import { eventually } from "../_helpers/eventually.ts";

describe("strongroom repl driven through its stdin", () => {
  let cluster: Cluster;
  let dir: string;
  before(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), "strongroom-repl-"));
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores, retrieves and deletes, shows errors and goes on, and rides through a broker restart", async () => {
    const history = join(dir, "history");
    const { command, args } = selfCommand(["repl", "--url", cluster.url]);
    const repl = spawn(command, args, { env: { ...process.env, STRONGROOM_HISTORY: history }, stdio: ["pipe", "pipe", "pipe"] });
    const out: string[] = [];
    const err: string[] = [];
    createInterface({ input: repl.stdout! }).on("line", (line) => out.push(line));
    createInterface({ input: repl.stderr! }).on("line", (line) => err.push(line));
    const exited = new Promise<number | null>((resolve) => repl.once("exit", (code) => resolve(code)));
    const send = (line: string) => repl.stdin!.write(`${line}\n`);
    const next = async (lines: string[], pattern: RegExp): Promise<RegExpExecArray> => {
      let found: RegExpExecArray | null = null;
      await eventually(() => (found = lines.map((l) => pattern.exec(l)).find(Boolean) ?? null) !== null, 20_000);
      lines.splice(0, lines.findIndex((l) => pattern.test(l)) + 1);
      return found!;
    };
    try {
      const secret = `secret text ${randomBytes(8).toString("hex")}`;
      send(`store "my id" ${secret}`);
      const key = (await next(out, /^key (\S{43}) \(\d+ bytes stored\)$/))[1]!;
      send(`retrieve "my id" ${key}`);
      await next(out, new RegExp(`^${secret}$`));

      send(`retrieve "my id" ${"A".repeat(43)}`);
      await next(err, /^error NOT_FOUND: No record matches this id and key$/);
      send("retrieve x not-a-key");
      await next(err, /^error BAD_REQUEST: Invalid key/);
      send("bogus");
      await next(err, /^error USAGE: Unknown command "bogus"/);

      const binary = join(dir, "in.bin");
      writeFileSync(binary, randomBytes(300));
      send(`store bin @${binary}`);
      const binKey = (await next(out, /^key (\S{43}) \(300 bytes stored\)$/))[1]!;
      send(`retrieve bin ${binKey}`);
      await next(out, /^300 bytes \(binary\), first 64:$/);
      send(`retrieve bin ${binKey} > ${join(dir, "out.bin")}`);
      await next(out, /^wrote 300 bytes to /);
      assert.deepEqual(readFileSync(join(dir, "out.bin")), readFileSync(binary));

      cluster.part("broker").kill("SIGTERM");
      await next(err, /^connection to ws:\/\/\S+ lost \(\d+\); reconnecting…$/);
      await cluster.restart("broker");
      await next(err, /^reconnected to ws:\/\//);
      send(`retrieve "my id" ${key}`);
      await next(out, new RegExp(`^${secret}$`));

      send("actors");
      await next(out, /^encryptor\s+\d+\s+encryptor-/);
      send(`delete "my id" ${key}`);
      await next(out, /^deleted$/);
      send(`retrieve "my id" ${key}`);
      await next(err, /^error NOT_FOUND/);
      send("quit");
      assert.equal(await exited, 0);

      const kept = readFileSync(history, "utf8");
      assert.match(kept, /^retrieve "my id"$/m);
      for (const leak of [key, binKey, secret]) assert.equal(kept.includes(leak), false, "history holds no key or payload");
    } finally {
      repl.kill("SIGKILL");
    }
  });
});
