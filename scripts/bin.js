#!/usr/bin/env node
// The `strongroom` executable on Node. It runs the compiled command (dist/cli, built by
// `npm ci`) while that is newer than every source file, and the TypeScript sources through
// tsx otherwise, so that an edit never runs stale code.
import { readdirSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const compiled = new URL("dist/cli/strongroom.mjs", root);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, dir);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function compiledIsCurrent() {
  if (process.env.STRONGROOM_FROM_SOURCE === "1") return false;
  try {
    const built = statSync(compiled).mtimeMs;
    return built >= newest(new URL("src/", root)) && built >= newest(new URL("scripts/", root));
  } catch {
    return false;
  }
}

if (compiledIsCurrent()) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./strongroom.ts");
}
