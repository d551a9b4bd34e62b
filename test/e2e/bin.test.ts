import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { runtimeExecutable, scriptCommand } from "../../src/cli/runtime.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The stand-ins: each says who it is and echoes its arguments; the sources only run as TypeScript. */
const SOURCES = 'const from: string = "sources";\nconsole.log(from, process.argv.slice(2).join(" "));\n';
const COMPILED = 'console.log("compiled", process.argv.slice(2).join(" "), process.env.STRONGROOM_BUILD ?? "-");\n';
const READ_AT = 2_000_000;

/**
 * The `strongroom` executable, copied into a project of its own whose compiled
 * command and sources each print who they are, so that the test sees which one
 * ran and can date each file as it likes.
 */
describe("the strongroom executable", () => {
  let dir: string;
  const file = (path: string) => join(dir, path);

  function write(path: string, text: string, seconds: number): void {
    mkdirSync(dirname(file(path)), { recursive: true });
    writeFileSync(file(path), text);
    utimesSync(file(path), seconds, seconds);
  }

  /** A build made at READ_AT from `inputs`. */
  function build(inputs = ["scripts/strongroom.ts", "src/deep/part.ts"]): void {
    write("dist/cli/strongroom.mjs", COMPILED, READ_AT / 1000 + 10);
    write("dist/cli/strongroom.stamp.json", JSON.stringify({ readAt: READ_AT, inputs }), READ_AT / 1000 + 10);
  }

  function run(env: Record<string, string> = {}): string {
    const { STRONGROOM_FROM_SOURCE: _, STRONGROOM_BUILD: __, ...inherited } = process.env;
    const result = spawnSync(runtimeExecutable("node"), [file("scripts/bin.js"), "--version"], { env: { ...inherited, ...env }, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim();
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-bin-"));
    write("package.json", JSON.stringify({ type: "module" }), 1000);
    symlinkSync(join(ROOT, "node_modules"), file("node_modules"), "dir");
    mkdirSync(file("scripts"));
    copyFileSync(join(ROOT, "scripts/bin.js"), file("scripts/bin.js"));
    write("scripts/strongroom.ts", SOURCES, 1000);
    write("src/deep/part.ts", "export const part = 1;\n", 1000);
    write("src/other.test.ts", "export {};\n", 1000);
    write("src/notes.md", "not code\n", 1000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the compiled command while no file it was built from is newer than its build, with the arguments given", () => {
    build();
    assert.equal(run(), `compiled --version ${READ_AT}`, "and tells the processes it starts which build it checked");
    write("src/notes.md", "a newer file that is not code\n", 3000);
    write("src/other.test.ts", "export const newer = 1;\n", 3000);
    assert.equal(run(), `compiled --version ${READ_AT}`, "only the files the program is made of count");
  });

  it("runs the sources once a file it was built from is newer or gone, so that an edit never runs stale code", () => {
    build();
    write("src/deep/part.ts", "export const part = 2;\n", 3000);
    assert.equal(run(), "sources --version");
    write("src/deep/part.ts", "export const part = 2;\n", 1000);
    write("scripts/strongroom.ts", SOURCES, 3000);
    assert.equal(run(), "sources --version");
    write("scripts/strongroom.ts", SOURCES, 1000);
    assert.equal(run(), `compiled --version ${READ_AT}`);
    build(["scripts/strongroom.ts", "src/deep/gone.ts"]);
    assert.equal(run(), "sources --version");
  });

  it("runs the build the launcher checked in the parts it starts, and checks again for any other build", () => {
    build();
    write("src/deep/part.ts", "export const part = 3;\n", 3000);
    assert.equal(run({ STRONGROOM_BUILD: String(READ_AT) }), `compiled --version ${READ_AT}`);
    assert.equal(run({ STRONGROOM_BUILD: String(READ_AT - 1) }), "sources --version");
    write("src/deep/part.ts", "export const part = 3;\n", 1000);
  });

  it("runs the sources when STRONGROOM_FROM_SOURCE=1, or when the program or its stamp is missing or unreadable", () => {
    build();
    assert.equal(run({ STRONGROOM_FROM_SOURCE: "1" }), "sources --version");
    write("dist/cli/strongroom.stamp.json", "{ not json", 3000);
    assert.equal(run(), "sources --version");
    build();
    rmSync(file("dist/cli/strongroom.mjs"));
    assert.equal(run(), "sources --version");
    rmSync(file("dist"), { recursive: true });
    assert.equal(run(), "sources --version");
  });

  it("is built with a stamp that lists every file of the program, and only those", () => {
    const out = join(dir, "built", "cli");
    const { command, args } = scriptCommand("node", join(ROOT, "scripts/build-cli.ts"), ["--out", out]);
    const before = Date.now();
    const result = spawnSync(command, args, { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const stamp = JSON.parse(readFileSync(join(out, "strongroom.stamp.json"), "utf8")) as { readAt: number; inputs: string[] };
    assert.ok(stamp.readAt >= before - 1000 && stamp.readAt <= Date.now());
    for (const input of ["scripts/strongroom.ts", "src/cli/main.ts", "src/cli/commands/store.ts", "src/client/mod.ts", "src/broker/mod.ts"]) {
      assert.ok(stamp.inputs.includes(input), input);
    }
    for (const input of stamp.inputs) {
      assert.ok(existsSync(join(ROOT, input)), input);
      assert.doesNotMatch(input, /node_modules|\.test\.ts$|^test\//, input);
    }
    assert.ok(existsSync(join(out, "strongroom.mjs")));
  });
});
