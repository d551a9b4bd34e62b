/**
 * A file system for tests that fails on command: wraps another one and asks
 * a plan before every operation whether it should fail instead.
 *
 * @module
 */
import type { FileLike, FileSystem } from "./file-system.ts";
import { NODE_FILE_SYSTEM } from "./file-system.ts";

/** One file operation, as the plan sees it. */
export interface FsOperation {
  readonly kind: "open" | "read" | "writev" | "datasync" | "truncate" | "rename" | "remove" | "syncDir" | "list";
  readonly path: string;
}

/** Decides whether an operation fails: returns the error to throw, or nothing. */
export type FaultPlan = (operation: FsOperation) => Error | undefined;

const MUTATING = new Set(["open", "writev", "datasync", "truncate", "rename", "remove", "syncDir"]);

/**
 * Wraps a file system so that a plan can fail any operation.
 *
 * @param plan Consulted before each operation.
 * @param base The file system that does the work. @default NODE_FILE_SYSTEM
 * @returns The wrapped file system.
 */
export function faultyFileSystem(plan: FaultPlan, base: FileSystem = NODE_FILE_SYSTEM): FileSystem {
  const check = (kind: FsOperation["kind"], path: string) => {
    const error = plan({ kind, path });
    if (error) throw error;
  };
  return {
    async open(path, mode) {
      check("open", path);
      const file = await base.open(path, mode);
      const wrapped: FileLike = {
        async read(buffer, position) {
          check("read", path);
          return file.read(buffer, position);
        },
        async writev(buffers, position) {
          check("writev", path);
          return file.writev(buffers, position);
        },
        async datasync(inline) {
          check("datasync", path);
          return file.datasync(inline);
        },
        async truncate(length) {
          check("truncate", path);
          return file.truncate(length);
        },
        size: () => file.size(),
        close: () => file.close(),
      };
      return wrapped;
    },
    async list(dir) {
      check("list", dir);
      return base.list(dir);
    },
    async rename(from, to) {
      check("rename", to);
      return base.rename(from, to);
    },
    async remove(path) {
      check("remove", path);
      return base.remove(path);
    },
    async syncDir(dir) {
      check("syncDir", dir);
      return base.syncDir(dir);
    },
    makeDir: (dir) => base.makeDir(dir),
  };
}

/**
 * A plan that lets `n` changing operations (opens, writes, syncs, renames,
 * removals) through, then fails everything: the process "died" there.
 *
 * @param n Operations that succeed.
 * @returns The plan, and whether it has struck yet.
 */
export function crashAfter(n: number): { plan: FaultPlan; readonly crashed: boolean } {
  let left = n;
  let crashed = false;
  return {
    plan(operation) {
      if (crashed) return new Error("Simulated crash");
      if (!MUTATING.has(operation.kind)) return undefined;
      if (left-- > 0) return undefined;
      crashed = true;
      return new Error("Simulated crash");
    },
    get crashed() {
      return crashed;
    },
  };
}

/**
 * Makes an error like the ones `node:fs` throws.
 *
 * @param code The errno code, such as `EIO` or `ENOSPC`.
 * @returns The error.
 */
export function fsError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}
