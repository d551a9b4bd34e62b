/**
 * `npm run build:cli` (and `npm ci`, through `prepare`): compiles the
 * `strongroom` command to plain JavaScript in `dist/cli/strongroom.mjs`, so
 * that the parts it starts run without compiling TypeScript as they load.
 * That saves each process the loader's thread (about 40 MB of memory) and
 * the small work it adds to every function it names.
 *
 * The packages stay outside the bundle and load from `node_modules` as
 * usual. Beside the program goes its build stamp,
 * `strongroom.stamp.json`: `{ "readAt": ms, "inputs": [paths] }`, the
 * moment the build began reading and every file of this repository the
 * program was built from. `scripts/bin.js` runs the program only while
 * none of those files is newer than that, and the TypeScript otherwise, so
 * that an edit never runs stale code; a file that is not an input cannot
 * change the program, so it need not be looked at.
 *
 * `--if-available` makes a missing esbuild a notice; `--out DIR` builds
 * into another folder (two folders deep, like `dist/cli/`, so that paths
 * the code finds from its own place stay right).
 *
 * @module
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadEsbuild } from "./_esbuild.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { out: { type: "string" }, "if-available": { type: "boolean" } } });
const dir = resolve(values.out ?? join(root, "dist", "cli"));
const out = join(dir, "strongroom.mjs");
const stamp = join(dir, "strongroom.stamp.json");

const esbuild = await loadEsbuild("the command runs from its TypeScript sources");

mkdirSync(dir, { recursive: true });
// No stamp while the program changes: a process that starts meanwhile runs the sources.
rmSync(stamp, { force: true });
// The build is as new as the sources it read, not as the moment it ends: a file saved while
// it runs is then newer, and the sources run instead.
const readAt = Date.now();
const result = await esbuild.build({
  entryPoints: [join(root, "scripts", "strongroom.ts")],
  absWorkingDir: root,
  outfile: out,
  bundle: true,
  packages: "external",
  format: "esm",
  platform: "node",
  target: ["node20"],
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
  write: false,
});
// The map first and the program last, each swapped in whole, so that a process never
// starts from half a build; the stamp after both.
const files = [...result.outputFiles].sort((a, b) => Number(a.path === out) - Number(b.path === out));
for (const file of files) {
  writeFileSync(`${file.path}.building`, file.contents);
  renameSync(`${file.path}.building`, file.path);
}
// Paths relative to the root, with forward slashes, as bin.js resolves them against its URL.
const inputs = Object.keys(result.metafile.inputs)
  .map((input) => relative(root, resolve(root, input)).split(sep).join("/"))
  .sort();
writeFileSync(`${stamp}.building`, `${JSON.stringify({ readAt, inputs }, null, 1)}\n`);
renameSync(`${stamp}.building`, stamp);
process.stdout.write(`strongroom: compiled the command from ${inputs.length} files into ${out}\n`);
