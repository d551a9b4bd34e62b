/**
 * The lock that keeps a second process out of a data directory.
 *
 * The lock is a listening Unix socket in Linux's abstract namespace, named
 * after the directory's device and inode. Binding it is atomic, a second
 * bind fails with `EADDRINUSE`, and the kernel frees the name when its
 * owner dies however it dies, so a stale lock cannot exist and a reused PID
 * cannot fool it. The name fills all 107 bytes of `sun_path` because Node
 * binds abstract names with the full length and Deno with the exact one:
 * only a full-length name is the same address for both.
 *
 * Where abstract names are missing (not Linux), a socket file in the
 * temporary directory stands in; a file left by a dead owner refuses
 * connections and is replaced. Two processes replacing the same stale file
 * at the same instant could both win: that window is the documented limit
 * of the fallback. Either way a `LOCK` file in the directory says which PID
 * holds it, for people and for the refusal message.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { StorageFailedError } from "../../../protocol/wire/mod.ts";

/** Name of the file that says who holds the lock. */
export const LOCK_FILE = "LOCK";

/** A held lock. */
export interface DirectoryLock {
  /** PID named by a `LOCK` file that an owner who died left behind, if any. */
  readonly staleOwner: number | undefined;
  /** Frees the lock. */
  release(): Promise<void>;
}

/**
 * Takes the lock of a data directory.
 *
 * @param dir The data directory, which must exist.
 * @returns The held lock.
 * @throws {StorageFailedError} When another process holds it.
 */
export async function lockDirectory(dir: string): Promise<DirectoryLock> {
  const { dev, ino } = await stat(dir, { bigint: true });
  const digest = createHash("sha256").update(`${dev}:${ino}`).digest("hex");
  const previous = await readOwner(dir);
  const name = `\0${`strongroom/lock/${digest}`.padEnd(107, ".")}`;
  let server: Server;
  try {
    server = await listenReleased(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw refusal(dir, previous, error);
    server = await lockWithSocketFile(join(tmpdir(), `strongroom-${digest.slice(0, 32)}.lock`), dir, previous);
  }
  server.unref();
  const staleOwner = previous !== undefined && previous !== process.pid ? previous : undefined;
  const path = join(dir, LOCK_FILE);
  try {
    await writeFile(path, `${process.pid} ${hostname()} ${new Date().toISOString()}\n`);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    staleOwner,
    async release() {
      await rm(path, { force: true }).catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      releasedHere.set(name, Date.now());
    },
  };
}

async function lockWithSocketFile(path: string, dir: string, previous: number | undefined): Promise<Server> {
  try {
    return await listen(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    if (await answers(path)) throw refusal(dir, previous, error);
    await unlink(path).catch(() => {});
    return await listen(path);
  }
}

/** Names this process released lately, and when: Deno frees a closed listener's name a little later. */
const releasedHere = new Map<string, number>();
const RELEASE_GRACE_MS = 2000;

/**
 * Listens on a name; when this process itself released the name moments
 * ago, waits for the runtime to let go of it instead of refusing at once.
 */
async function listenReleased(name: string): Promise<Server> {
  for (;;) {
    try {
      const server = await listen(name);
      releasedHere.delete(name);
      return server;
    } catch (error) {
      const released = releasedHere.get(name);
      const mine = released !== undefined && Date.now() - released < RELEASE_GRACE_MS;
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || !mine) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function listen(name: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once("error", reject);
    server.listen(name, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function readOwner(dir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(dir, LOCK_FILE), "utf8")).split(" ")[0]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function refusal(dir: string, owner: number | undefined, cause: unknown): StorageFailedError {
  const who = owner === undefined ? "another process" : `another process (pid ${owner})`;
  return new StorageFailedError(
    `Cannot open data directory "${dir}": ${who} is using it; stop that storage process or choose another directory`,
    { cause, retryable: false },
  );
}
