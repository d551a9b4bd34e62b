import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Child, startChild } from "../../src/cli/child.ts";
import { EXIT_CODES, selfCommand } from "../../src/cli/mod.ts";
import { connect } from "../../src/client/mod.ts";
import { eventually } from "../_helpers/eventually.ts";
import { selfSignedCertificate } from "../_helpers/tls.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function descendants(pid: number): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" });
  const children = table.trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of children) if (ppid === parent) found.push(child), walk(child);
  };
  walk(pid);
  return found;
}

interface Launch {
  up: Child;
  lines: string[];
  url: string;
  /** The pid of a part, found by the CLI command its process runs. */
  pidOf(part: string): number;
}

/** Runs `strongroom up` on a free port and a fresh data directory until `work` is done. */
async function withLauncher(args: string[], work: (launch: Launch) => Promise<void>): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), "strongroom-up-"));
  const lines: string[] = [];
  const up = startChild({ name: "up", args: ["up", "--port", "0", "--data", data, ...args], onLine: (l) => lines.push(l) });
  try {
    await eventually(() => lines.some((l) => l.includes("strongroom is ready at")), 30_000);
    const url = /ready at (\S+)/.exec(lines.find((l) => l.includes("ready at"))!)![1]!;
    const pidOf = (part: string) => {
      const command = part.startsWith("encryptor") ? "encryptor" : part;
      for (const pid of descendants(up.process.pid!)) {
        if (execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).includes(` ${command} `)) return pid;
      }
      throw new Error(`No process for part "${part}"`);
    };
    await work({ up, lines, url, pidOf });
  } finally {
    up.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true });
  }
}

async function roundTrip(url: string, id: string, key?: Uint8Array): Promise<Uint8Array> {
  const client = await connect(url);
  try {
    const used = key ?? (await client.store(id, `payload of ${id}`));
    assert.equal(new TextDecoder().decode(await client.retrieve(id, used)), `payload of ${id}`);
    return used;
  } finally {
    await client.close();
  }
}

describe("strongroom up", () => {
  it("starts every part as its own process, prints how to connect, and stops all on SIGINT with status 0", async () => {
    await withLauncher(["--encryptors", "2"], async ({ up, url }) => {
      const parts = descendants(up.process.pid!);
      assert.ok(parts.length >= 4, `broker, storage and two encryptors run as processes: ${parts.length}`);
      await roundTrip(url, "id");
      up.kill("SIGINT");
      assert.equal(await up.exited, 0);
      await eventually(() => parts.every((pid) => !alive(pid)));
    });
  });

  it("restarts a part that crashes, says so, and serves again", async () => {
    await withLauncher([], async ({ up, lines, url, pidOf }) => {
      const key = await roundTrip(url, "kept");
      for (const part of ["storage", "encryptor-1", "broker"]) {
        process.kill(pidOf(part), "SIGKILL");
        await eventually(() => lines.some((l) => l.includes(`part "${part}" exited with SIGKILL; restarting`)), 10_000);
        await eventually(() => lines.some((l) => l.includes(`part "${part}" is back`)), 30_000);
        // Every part is up again and the data is still there.
        await eventually(() => roundTrip(url, "kept", key), 30_000);
      }
      up.kill("SIGINT");
      assert.equal(await up.exited, 0);
    });
  });

  it("kills every part at once on a second SIGINT", async () => {
    await withLauncher([], async ({ up, lines, pidOf }) => {
      const parts = descendants(up.process.pid!);
      // A frozen broker makes the orderly stop wait, so that the second signal has something to cut short.
      process.kill(pidOf("broker"), "SIGSTOP");
      up.kill("SIGINT");
      await eventually(() => lines.some((l) => l.includes("stopping:")), 10_000);
      up.kill("SIGINT");
      assert.equal(await up.exited, 130);
      await eventually(() => parts.every((pid) => !alive(pid)), 10_000);
    });
  });

  it("gives up when a part cannot start: says why, stops the others and exits with that part's status", async () => {
    const data = mkdtempSync(join(tmpdir(), "strongroom-up-"));
    const lines: string[] = [];
    // The broker starts; the actors cannot read the certificates they are told to trust.
    const up = startChild({ name: "up", args: ["up", "--port", "0", "--data", data, "--tls-ca", join(data, "missing.pem")], onLine: (l) => lines.push(l) });
    try {
      assert.equal(await up.exited, EXIT_CODES.LOCAL_FILE);
      const output = lines.join("\n");
      assert.match(output, /strongroom: LOCAL_FILE: Cannot read the certificates file ".*missing.pem" of --tls-ca: no such file or directory/);
      assert.match(output, new RegExp(`exited with ${EXIT_CODES.LOCAL_FILE} before it was ready; not restarting it`));
      assert.doesNotMatch(output, /restarting in/);
      assert.match(output, new RegExp(`strongroom: LOCAL_FILE: Part "\\S+" exited with ${EXIT_CODES.LOCAL_FILE} before it was ready`));
      // The broker that had started is stopped too.
      const url = /broker listening on (\S+)/.exec(output)?.[1];
      assert.ok(url, output);
      await assert.rejects(connect(url, { timeout: 2000 }), { code: "UNAVAILABLE" });
    } finally {
      up.kill("SIGKILL");
      rmSync(data, { recursive: true, force: true });
    }
  });

  it("hands its settings to the parts, from a config file too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strongroom-up-config-"));
    const config = join(dir, "strongroom.json");
    writeFileSync(config, JSON.stringify({ maxFrame: 1024 * 1024 }));
    try {
      await withLauncher(["--config", config], async ({ url }) => {
        const client = await connect(url);
        try {
          assert.equal(client.maxPayload, 1024 * 1024 - 4096);
        } finally {
          await client.close();
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("off loopback, makes a token for the launch in a file the ready line names, never in a command's arguments, and lets only its holders in", async () => {
    await withLauncher(["--host", "0.0.0.0"], async ({ up, lines, url }) => {
      const ready = lines.find((l) => l.includes("ready at"))!;
      const tokenFile = /--token-file (\S+);/.exec(ready)?.[1];
      assert.ok(tokenFile, ready);
      assert.match(ready, new RegExp(`clients present the token in ${tokenFile}, made for this launch`));
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      const token = readFileSync(tokenFile, "utf8").trim();
      assert.ok(!ready.includes(token), "the ready line shows no token");
      assert.doesNotMatch(ready, /--token /);
      await assert.rejects(connect(url, { reconnect: false }), { code: "UNAUTHENTICATED" });
      const client = await connect(url, { token });
      try {
        const key = await client.store("id", "payload");
        assert.equal(new TextDecoder().decode(await client.retrieve("id", key)), "payload");
      } finally {
        await client.close();
      }
      up.kill("SIGINT");
      assert.equal(await up.exited, 0);
      // The tokens file made for the launch goes with it.
      const left = readdirSync(tmpdir()).filter((n) => n.startsWith("strongroom-launch-"));
      for (const name of left) {
        let text = "";
        try {
          text = readFileSync(join(tmpdir(), name, "tokens"), "utf8");
        } catch {
          // Another launch's file, gone with its launch.
        }
        assert.equal(text.includes(token), false);
      }
    });
  });

  it("over wss:// with a private certificate, prints a command to try that trusts it, and that command works", async () => {
    const tls = selfSignedCertificate();
    try {
      await withLauncher(["--tls-cert", tls.certPath, "--tls-key", tls.keyPath, "--tls-ca", tls.certPath], async ({ lines }) => {
        const ready = lines.find((l) => l.includes("ready at"))!;
        const tried = /try: echo hello \| npx strongroom (.*); Ctrl-C/.exec(ready)?.[1];
        assert.ok(tried, ready);
        assert.ok(tried.startsWith("store greeting --url wss://"), ready);
        assert.ok(tried.endsWith(` --tls-ca ${tls.certPath}`), ready);
        const { command, args } = selfCommand(tried.split(" "));
        const key = execFileSync(command, args, { input: "hello\n", encoding: "utf8" }).trim();
        assert.match(key, /^[A-Za-z0-9_-]{43}$/);
      });
    } finally {
      tls.remove();
    }
  });

  it("stops its parts when it is killed outright, because they notice their parent is gone", async () => {
    await withLauncher([], async ({ up }) => {
      const parts = descendants(up.process.pid!);
      up.kill("SIGKILL");
      await eventually(() => parts.every((pid) => !alive(pid)), 10_000);
    });
  });
});
