#!/usr/bin/env node
// The `strongroom` executable on Node. It runs the compiled command (dist/cli, built by
// `npm ci`) while none of the files it was built from has changed since, and the TypeScript
// sources through tsx otherwise, so that an edit never runs stale code. The build lists those
// files in a stamp beside the program (scripts/build-cli.ts says how), so the check is one stat
// per file the program is made of, not a walk of every folder. A part that the launcher starts
// runs the build the launcher checked: the launcher passes the stamp's time on in
// STRONGROOM_BUILD, and a process that finds it equal to the stamp's skips the check, so that
// the parts of one launch run one build.
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const compiled = new URL("dist/cli/strongroom.mjs", root);
const stamp = new URL("dist/cli/strongroom.stamp.json", root);

function compiledIsCurrent() {
  if (process.env.STRONGROOM_FROM_SOURCE === "1") return false;
  let built;
  try {
    built = JSON.parse(readFileSync(stamp, "utf8"));
  } catch {
    return false;
  }
  if (!Number.isFinite(built?.readAt) || !Array.isArray(built.inputs) || !statSync(compiled, { throwIfNoEntry: false })) return false;
  if (process.env.STRONGROOM_BUILD === String(built.readAt)) return true;
  for (const input of built.inputs) {
    const source = statSync(new URL(input, root), { throwIfNoEntry: false });
    if (!source || source.mtimeMs > built.readAt) return false;
  }
  process.env.STRONGROOM_BUILD = String(built.readAt);
  return true;
}

if (compiledIsCurrent()) {
  await import(compiled.href);
} else {
  delete process.env.STRONGROOM_BUILD;
  const { register } = await import("tsx/esm/api");
  register();
  await import("./strongroom.ts");
}
