/**
 * `npm run build:web` (and `npm ci`, through `prepare`): bundles the page the
 * broker serves at `/` into `dist/web/`: `index.html`, `page.css` and
 * `app.js`, the page's script with the client library and cbor-x's browser
 * build. The `ws` package never enters the bundle: browsers have a
 * WebSocket, and the client only loads `ws` on a Node without one.
 *
 * `--if-available` makes a missing esbuild (an install without dev
 * dependencies) a notice instead of a failure; the broker then answers `/`
 * with a page saying how to build it.
 *
 * @module
 */
import { copyFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadEsbuild } from "./_esbuild.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "src", "web");
const out = join(root, "dist", "web");

const esbuild = await loadEsbuild("the page at / is not built (run `npm install` then `npm run build:web`)");

// Built next to the output and swapped in, so that a broker never serves half a build.
const staging = `${out}.building`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(source, "main.ts")],
  outfile: join(staging, "app.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
  plugins: [
    {
      name: "no-ws",
      setup(build) {
        // The transport imports ws lazily for Node 20 only; a browser always has a WebSocket.
        build.onResolve({ filter: /^ws$/ }, () => ({ path: "ws", namespace: "absent" }));
        build.onLoad({ filter: /.*/, namespace: "absent" }, () => ({
          contents: 'throw new Error("The ws package is for Node only: this platform should have a WebSocket");',
        }));
      },
    },
  ],
});
const inputs = Object.keys(result.metafile.inputs);
const nodeOnly = inputs.filter((input) => /(^|\/)node_modules\/ws\//.test(input) || input.startsWith("node:"));
if (nodeOnly.length > 0) throw new Error(`Node-only modules got into the page's bundle: ${nodeOnly.join(", ")}`);
for (const file of ["index.html", "page.css"]) copyFileSync(join(source, file), join(staging, file));
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!.bytes;
process.stdout.write(`strongroom: built the page into ${out} (app.js: ${Math.round(bytes / 1024)} KiB from ${inputs.length} modules)\n`);
