import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("..", import.meta.url));

interface Imports {
  /** Specifiers of static imports and re-exports. */
  static: string[];
  /** Specifiers of `import("…")`. */
  dynamic: string[];
  /** `import(…)` calls whose specifier is not a string literal. */
  computed: number;
}

/** The imports of a TypeScript file, with comments (and the examples in them) left out. */
function importsOf(file: string): Imports {
  const code = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:\\])\/\/.*$/gm, "$1");
  const found: Imports = { static: [], dynamic: [], computed: 0 };
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/g)) found.static.push(m[1]!);
  for (const m of code.matchAll(/(?:^|[;\s])import\s*["']([^"']+)["']/g)) found.static.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*(["'])?([^"')]*)/g)) {
    if (m[1]) found.dynamic.push(m[2]!);
    else found.computed++;
  }
  return found;
}

/** Every file reachable from `entry` through relative imports, with its imports. */
function importGraph(entry: string): Map<string, Imports> {
  const graph = new Map<string, Imports>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const imports = importsOf(file);
    graph.set(file, imports);
    for (const specifier of [...imports.static, ...imports.dynamic]) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
    }
  };
  visit(entry);
  return graph;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0]!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the client's import graph", () => {
  const graph = importGraph(join(SRC, "client", "mod.ts"));
  const name = (file: string) => relative(SRC, file);

  it("sees the imports it should see, so that the checks below can fail", () => {
    assert.ok(graph.has(join(SRC, "protocol", "wire", "codec.ts")), "the client reaches the codec");
    assert.ok(graph.get(join(SRC, "protocol", "wire", "codec.ts"))!.static.includes("cbor-x"));
    assert.ok(graph.get(join(SRC, "client", "transport.ts"))!.dynamic.includes("ws"));
    assert.ok(importsOf(fileURLToPath(import.meta.url)).static.filter(isNodeBuiltin).includes("node:fs"), "this file's own import is seen");
  });

  it("stays inside src/client/ and src/protocol/", () => {
    for (const file of graph.keys()) assert.match(name(file), /^(client|protocol)\//, `${name(file)} is reached from the client`);
  });

  it("imports no Node built-in module, and no Deno API", () => {
    for (const [file, imports] of graph) {
      const builtins = [...imports.static, ...imports.dynamic].filter(isNodeBuiltin);
      assert.deepEqual(builtins, [], `${name(file)} imports Node built-ins`);
      assert.doesNotMatch(readFileSync(file, "utf8"), /\bDeno\./, `${name(file)} uses a Deno API`);
    }
  });

  it("loads packages only by name literal: cbor-x, and ws only lazily from the transport for Node 20", () => {
    for (const [file, imports] of graph) {
      assert.equal(imports.computed, 0, `${name(file)} imports a computed specifier`);
      const packages = imports.static.filter((s) => !s.startsWith("."));
      assert.deepEqual(packages.filter((p) => p !== "cbor-x"), [], `${name(file)} imports packages statically`);
      const lazy = imports.dynamic.filter((s) => !s.startsWith("."));
      assert.deepEqual(lazy, name(file) === "client/transport.ts" ? ["ws"] : [], `${name(file)} imports packages lazily`);
    }
  });

  it("has no Node built-in import in any file of src/client/ or src/protocol/, tests aside", () => {
    const files = [...sourceFiles(join(SRC, "client")), ...sourceFiles(join(SRC, "protocol"))];
    assert.ok(files.length > 10);
    for (const file of files) {
      const imports = importsOf(file);
      assert.deepEqual([...imports.static, ...imports.dynamic].filter(isNodeBuiltin), [], `${name(file)} imports Node built-ins`);
    }
  });
});
