/**
 * The crash test of `npm run crash-test -- --kills N`: runs writers against a real storage
 * process through a real broker, kills the storage process with SIGKILL at
 * random moments N times, restarts it, and after each restart checks that
 * every acknowledged put reads back with its bytes and every acknowledged
 * delete is gone. Prints the counts; exits 1 on any violation.
 *
 * Segments are kept small so that rollover, hint files and compaction all
 * happen, and get killed, during the run.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startActor } from "../actors/runtime/mod.ts";
import { type Child, startChild } from "../cli/child.ts";
import { brokerUrl } from "../cli/ready-line.ts";
import { StrongroomError } from "../protocol/wire/mod.ts";

/** Options of {@link runCrashTest}. */
export interface CrashTestOptions {
  /** SIGKILLs of the storage process. @default 100 */
  kills?: number;
  /** Concurrent writers. @default 16 */
  writers?: number;
  /** Distinct locators the writers put, overwrite and delete. @default 1500 */
  keys?: number;
  /** Longest run of writes between two kills, in ms. @default 600 */
  maxRunMs?: number;
  /** Receives progress lines. @default no output */
  log?: (line: string) => void;
}

/** What a crash test saw. */
export interface CrashTestResult {
  kills: number;
  acknowledgedPuts: number;
  acknowledgedDeletes: number;
  /** Writes cut short by a kill, whose outcome either way is correct. */
  unknownOutcomes: number;
  /** Reads after restarts that found the expected bytes. */
  checkedPresent: number;
  /** Reads after restarts that found an expected absence. */
  checkedAbsent: number;
  /** Compactions the storage process finished. */
  compactions: number;
  /** One line per wrong answer; empty when the storage kept every promise. */
  violations: string[];
}

interface KeyState {
  readonly locator: Uint8Array;
  /** The value last acknowledged (`null`: absent). */
  expected: Uint8Array | null;
  /** Outcomes of writes cut short since the last check. */
  candidates: (Uint8Array | null)[];
  busy: boolean;
}

const CALL = { timeout: 5000 };

/**
 * Runs the crash test.
 *
 * @param options Kills, writers, key space.
 * @returns The counts and any violation.
 */
export async function runCrashTest(options: CrashTestOptions = {}): Promise<CrashTestResult> {
  const { kills = 100, writers = 16, keys = 1500, maxRunMs = 600, log = () => {} } = options;
  const dir = mkdtempSync(join(tmpdir(), "strongroom-crash-"));
  const secret = randomBytes(32).toString("base64url");
  const env = {
    ...process.env,
    STRONGROOM_ACTOR_SECRET: secret,
    STRONGROOM_SEGMENT_BYTES: String(64 * 1024),
    STRONGROOM_COMPACT_BYTES: String(128 * 1024),
  };
  const output: string[] = [];
  const onLine = (line: string) => output.push(line);
  const result: CrashTestResult = {
    kills: 0,
    acknowledgedPuts: 0,
    acknowledgedDeletes: 0,
    unknownOutcomes: 0,
    checkedPresent: 0,
    checkedAbsent: 0,
    compactions: 0,
    violations: [],
  };
  const state: KeyState[] = Array.from({ length: keys }, () => ({
    locator: new Uint8Array(randomBytes(32)),
    expected: null,
    candidates: [],
    busy: false,
  }));

  const broker = startChild({ name: "broker", args: ["broker", "--port", "0"], env, onLine });
  let storage: Child | undefined;
  const startStorage = async () => {
    storage = startChild({ name: "storage", args: ["storage", "--url", url, "--data", dir], env, onLine });
    await storage.ready;
  };
  let url = "";
  try {
    url = brokerUrl(await broker.ready);
    await startStorage();
    const tester = await startActor({ url, role: "crash-tester", secret, handlers: {} });
    const call = (op: string, body: unknown) => tester.session.request("storage", op, body, CALL);

    try {
      for (let round = 1; round <= kills; round++) {
        let running = true;
        const loops = Array.from({ length: writers }, async () => {
          while (running) await writeOnce(state, call, result);
        });
        await sleep(20 + Math.random() * maxRunMs);
        storage!.process.kill("SIGKILL");
        running = false;
        await storage!.exited;
        await Promise.all(loops);
        result.kills++;
        await startStorage();
        await verify(state, call, result);
        log(
          `kill ${round}/${kills}: ${result.acknowledgedPuts} puts and ${result.acknowledgedDeletes} deletes acknowledged, ` +
            `${result.unknownOutcomes} cut short, ${result.violations.length} violations`,
        );
      }
    } finally {
      tester.close();
    }
  } finally {
    await storage?.stop(5000);
    await broker.stop(5000);
    rmSync(dir, { recursive: true, force: true });
  }
  result.compactions = output.filter((line) => line.includes("Compaction finished")).length;
  return result;
}

async function writeOnce(
  state: KeyState[],
  call: (op: string, body: unknown) => Promise<unknown>,
  result: CrashTestResult,
): Promise<void> {
  const key = state[Math.floor(Math.random() * state.length)]!;
  if (key.busy) return;
  key.busy = true;
  const remove = key.expected !== null && Math.random() < 0.4;
  const value = remove ? null : new Uint8Array(randomBytes(16 + Math.floor(Math.random() * 2000)));
  try {
    if (remove) await call("delete", { locator: key.locator });
    else await call("put", { locator: key.locator, value });
    key.expected = value;
    key.candidates = [];
    if (remove) result.acknowledgedDeletes++;
    else result.acknowledgedPuts++;
  } catch (error) {
    if (!(error instanceof StrongroomError) || error.code === "STORAGE_FAILED") throw error;
    key.candidates.push(value);
    result.unknownOutcomes++;
    await sleep(5);
  } finally {
    key.busy = false;
  }
}

async function verify(
  state: KeyState[],
  call: (op: string, body: unknown) => Promise<unknown>,
  result: CrashTestResult,
): Promise<void> {
  let next = 0;
  const check = async () => {
    for (let i = next++; i < state.length; i = next++) {
      const key = state[i]!;
      let found: Uint8Array | null;
      try {
        found = new Uint8Array(((await call("get", { locator: key.locator })) as { value: Uint8Array }).value);
      } catch (error) {
        if (!(error instanceof StrongroomError) || error.code !== "NOT_FOUND") throw error;
        found = null;
      }
      const allowed = [key.expected, ...key.candidates];
      if (!allowed.some((value) => sameBytes(value, found))) {
        const what = key.expected === null ? "an acknowledged delete came back" : found === null ? "an acknowledged put is missing" : "a value came back with wrong bytes";
        result.violations.push(`key ${i}: ${what}`);
      } else if (found === null) result.checkedAbsent++;
      else result.checkedPresent++;
      key.expected = found;
      key.candidates = [];
    }
  };
  await Promise.all(Array.from({ length: 32 }, check));
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
