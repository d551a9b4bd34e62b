/**
 * `npm run build:cli` (and `npm ci`, through `prepare`): compiles the
 * `strongroom` command to plain JavaScript in `dist/cli/strongroom.mjs`, so
 * that the parts it starts run without compiling TypeScript as they load.
 * That saves each process the loader's thread (about 40 MB of memory) and
 * the small work it adds to every function it names.
 *
 * The packages stay outside the bundle and load from `node_modules` as
 * usual. `scripts/bin.js` runs the compiled file only while it is newer than
 * every source file, and the TypeScript otherwise, so that an edit never
 * runs stale code. `--if-available` makes a missing esbuild a notice.
 *
 * @module
 */
import { mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadEsbuild } from "./_esbuild.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
// Two folders deep, like src/cli/, so that paths the code finds from its own place stay right.
const out = join(root, "dist", "cli", "strongroom.mjs");

const esbuild = await loadEsbuild("the command runs from its TypeScript sources");

mkdirSync(join(root, "dist", "cli"), { recursive: true });
// The build is as new as the sources it read, not as the moment it ends: a file saved while
// it runs is then newer, and the sources run instead.
const readAt = new Date();
const result = await esbuild.build({
  entryPoints: [join(root, "scripts", "strongroom.ts")],
  outfile: out,
  bundle: true,
  packages: "external",
  format: "esm",
  platform: "node",
  target: ["node20"],
  sourcemap: "linked",
  logLevel: "warning",
  write: false,
});
// The map first and the program last, each swapped in whole, so that a process never
// starts from half a build.
const files = [...result.outputFiles].sort((a, b) => Number(a.path === out) - Number(b.path === out));
for (const file of files) {
  writeFileSync(`${file.path}.building`, file.contents);
  renameSync(`${file.path}.building`, file.path);
}
utimesSync(out, readAt, readAt);
process.stdout.write(`strongroom: compiled the command into ${out}\n`);
