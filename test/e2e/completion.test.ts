import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { selfCommand } from "../../src/cli/mod.ts";

/** The script `strongroom completion <shell>` prints, in a file. */
function script(shell: string): string {
  const { command, args } = selfCommand(["completion", shell]);
  const path = join(dir, `strongroom.${shell}`);
  writeFileSync(path, execFileSync(command, args));
  return path;
}

let dir: string;
let env: NodeJS.ProcessEnv;

describe("strongroom completion", () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-completion-"));
    mkdirSync(join(dir, "config", "strongroom", "contexts"), { recursive: true });
    for (const name of ["prod", "staging"]) writeFileSync(join(dir, "config", "strongroom", "contexts", `${name}.json`), "{}");
    env = { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), HOME: dir };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("completes commands, a command's own flags, saved contexts and context actions in bash", () => {
    const path = script("bash");
    const complete = (...words: string[]) => {
      const probe = `source '${path}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _strongroom; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = spawnSync("bash", ["--norc", "-c", probe], { env, encoding: "utf8", cwd: dir });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout.trim().split("\n").filter(Boolean).sort();
    };
    assert.deepEqual(complete("strongroom", "sto"), ["storage", "store"]);
    assert.deepEqual(complete("strongroom", "store", "--to"), ["--token", "--token-file"]);
    assert.deepEqual(complete("strongroom", "status", "--da"), [], "a flag of another command");
    assert.deepEqual(complete("strongroom", "store", "--context", ""), ["prod", "staging"]);
    assert.deepEqual(complete("strongroom", "context", ""), ["list", "remove", "save", "show", "use"]);
    assert.deepEqual(complete("strongroom", "context", "use", "st"), ["staging"]);
    assert.deepEqual(complete("strongroom", "up", "--log", "w"), ["warn"]);
  });

  it("completes in fish", () => {
    const path = script("fish");
    const complete = (line: string) => {
      const result = spawnSync("fish", ["--no-config", "-c", `source '${path}'; complete -C '${line}'`], { env, encoding: "utf8", cwd: dir });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout.trim().split("\n").map((l) => l.split("\t")[0]!).filter(Boolean).sort();
    };
    assert.deepEqual(complete("strongroom sto"), ["storage", "store"]);
    assert.deepEqual(complete("strongroom store --to"), ["--token", "--token-file"]);
    assert.deepEqual(complete("strongroom store --context "), ["prod", "staging"]);
    assert.deepEqual(complete("strongroom context use "), ["prod", "staging"]);
  });

  it("completes in zsh, through its completion system in a terminal", () => {
    const path = script("zsh");
    // zsh completes only in its line editor: drive an interactive zsh on a pseudo-terminal.
    const driver = join(dir, "drive.zsh");
    writeFileSync(
      driver,
      [
        "zmodload zsh/zpty",
        "zpty z 'zsh -f -i'",
        `zpty -w z 'PS1="> "; autoload -U compinit; compinit -u -D; source ${path}'`,
        "zpty -w -n z $'strongroom store --to\\t'",
        "sleep 2",
        'out=""',
        'while zpty -r -t z line; do out+="$line"; done',
        'print -r -- "$out"',
        "zpty -d z",
      ].join("\n"),
    );
    const result = spawnSync("zsh", ["-f", driver], { env, encoding: "utf8", cwd: dir, timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /--token-file\s+-- file whose first line is the client token/);
    assert.match(result.stdout, /--token\s+-- client token/);
  });

  it("refuses a shell it has no script for", () => {
    const { command, args } = selfCommand(["completion", "tcsh"]);
    const result = spawnSync(command, args, { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^strongroom: USAGE: Unknown shell "tcsh": completion is made for bash, zsh, fish\n$/);
  });
});
