/**
 * How clients get into a service the launcher starts: on loopback they need
 * no token; off loopback they need one, and when none was configured the
 * launcher makes one for this launch, in files only this user can read
 * (the broker's tokens file, and the client's token file that the ready
 * line points at), removed when the launch ends. The ready line never
 * suggests a token in the arguments, where any user's `ps` would see it.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLoopback } from "../broker/mod.ts";
import { shellWord } from "./shell-word.ts";

/** What clients need, and the environment that gives it to the broker. */
export interface LaunchAccess {
  /** Variables for the parts (the tokens file of a token made for this launch). */
  readonly env: Record<string, string>;
  /** For the ready line: where the token to use is, or why none is needed. */
  readonly summary: string;
  /** Flags a client command needs, such as `--token-file …` and the `--tls-ca` the actors were given. */
  readonly clientFlags: string;
  /** Removes what was made for this launch. */
  remove(): void;
}

/** Tenant of the token the launcher makes. */
export const LAUNCH_TENANT = "default";

/**
 * Decides how clients get in.
 *
 * @param settings Host, tokens file, and the certificates the parts trust.
 * @returns The access for this launch.
 */
export function launchAccess(settings: { host: string; tokens: string | undefined; tlsCa: string | undefined }): LaunchAccess {
  // A client needs the same certificates to trust as the actors were given.
  const trust = settings.tlsCa === undefined ? "" : ` --tls-ca ${shellWord(settings.tlsCa)}`;
  if (settings.tokens !== undefined) {
    return {
      env: {},
      summary: `clients present a token of ${settings.tokens}, from STRONGROOM_TOKEN or a file of their own`,
      clientFlags: ` --token-file <file of your token>${trust}`,
      remove() {},
    };
  }
  if (isLoopback(settings.host)) {
    return { env: {}, summary: "no token needed on loopback", clientFlags: trust, remove() {} };
  }
  const token = randomBytes(24).toString("base64url");
  const dir = mkdtempSync(join(tmpdir(), "strongroom-launch-"));
  const file = join(dir, "tokens");
  writeFileSync(file, `${LAUNCH_TENANT} ${token}\n`, { mode: 0o600 });
  const tokenFile = join(dir, "token");
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return {
    env: { STRONGROOM_TOKENS: file },
    summary: `clients present the token in ${tokenFile}, made for this launch`,
    clientFlags: ` --token-file ${shellWord(tokenFile)}${trust}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
