import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { runtimeExecutable } from "../../src/cli/runtime.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The stand-ins: each says who it is and echoes its arguments; the sources only run as TypeScript. */
const SOURCES = 'const from: string = "sources";\nconsole.log(from, process.argv.slice(2).join(" "));\n';
const COMPILED = 'console.log("compiled", process.argv.slice(2).join(" "));\n';

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

  function run(env: Record<string, string> = {}): string {
    const node = runtimeExecutable("node");
    const { STRONGROOM_FROM_SOURCE: _, ...inherited } = process.env;
    const result = spawnSync(node, [file("scripts/bin.js"), "--version"], { env: { ...inherited, ...env }, encoding: "utf8" });
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
    write("src/notes.md", "not code\n", 1000);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the compiled command while it is newer than every source file, with the arguments given", () => {
    write("dist/cli/strongroom.mjs", COMPILED, 2000);
    assert.equal(run(), "compiled --version");
    write("src/notes.md", "a newer file that is not code\n", 3000);
    assert.equal(run(), "compiled --version", "only .ts files count");
  });

  it("runs the sources once any .ts file under src/ or scripts/ is newer, so that an edit never runs stale code", () => {
    write("dist/cli/strongroom.mjs", COMPILED, 2000);
    write("src/deep/part.ts", "export const part = 2;\n", 3000);
    assert.equal(run(), "sources --version");
    write("src/deep/part.ts", "export const part = 2;\n", 1000);
    write("scripts/strongroom.ts", SOURCES, 3000);
    assert.equal(run(), "sources --version");
    write("scripts/strongroom.ts", SOURCES, 1000);
    assert.equal(run(), "compiled --version");
  });

  it("runs the sources when STRONGROOM_FROM_SOURCE=1 or when nothing was compiled", () => {
    write("dist/cli/strongroom.mjs", COMPILED, 2000);
    assert.equal(run({ STRONGROOM_FROM_SOURCE: "1" }), "sources --version");
    rmSync(file("dist"), { recursive: true });
    assert.equal(run(), "sources --version");
  });
});
