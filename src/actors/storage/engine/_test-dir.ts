/**
 * Temporary data directories and random records for the engine's tests.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "node:test";

/**
 * Gives each test of the current suite a fresh directory, removed after it.
 *
 * @returns A getter for the current test's directory.
 */
export function useTempDir(): () => string {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "strongroom-engine-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/**
 * A random 32-byte key.
 *
 * @returns The key.
 */
export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/**
 * Random bytes.
 *
 * @param length How many.
 * @returns The bytes.
 */
export function randomValue(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}
