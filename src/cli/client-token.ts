/**
 * The client token of a command: `--token` (or `STRONGROOM_TOKEN`), else the
 * first line of the file `--token-file` names, so that it need not appear
 * in the command's arguments.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { MAX_TOKEN_LENGTH } from "../protocol/wire/mod.ts";
import { fileProblem, LocalFileError, UsageError } from "./errors.ts";

/**
 * The token to present.
 *
 * @param settings The token and the token file, either or neither.
 * @returns The token, or `undefined` for none.
 * @throws {LocalFileError} When the token file cannot be read.
 * @throws {UsageError} When it holds no token, or one over the limit.
 */
export function clientToken(settings: { token: string | undefined; tokenFile?: string | undefined }): string | undefined {
  if (settings.token !== undefined || settings.tokenFile === undefined) return settings.token;
  let text: string;
  try {
    text = readFileSync(settings.tokenFile, "utf8");
  } catch (error) {
    throw new LocalFileError(`Cannot read token file "${settings.tokenFile}" of --token-file: ${fileProblem(error)}`, { cause: error });
  }
  const token = text.split(/\r?\n/, 1)[0]!.trim();
  if (token === "") throw new UsageError(`Invalid token file "${settings.tokenFile}": its first line holds no token`);
  if (token.length > MAX_TOKEN_LENGTH) throw new UsageError(`Invalid token file "${settings.tokenFile}": the token is over ${MAX_TOKEN_LENGTH} characters`);
  return token;
}
