/**
 * The client tokens file: one `tenant token` pair per line, `#` comments
 * and blank lines ignored. Errors name the line, never a token.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { MAX_TOKEN_LENGTH } from "../protocol/wire/mod.ts";
import { fileProblem, LocalFileError, UsageError } from "./errors.ts";

const MAX_TENANT_LENGTH = 256;

/**
 * Parses the text of a tokens file.
 *
 * @param text The file's text.
 * @param source Where it came from, for error messages.
 * @returns Tenants by token.
 * @throws {UsageError} When a line is not `tenant token`, a value is too long, or a token repeats.
 * @example Two tenants
 * ```ts
 * import { parseTokens } from "./tokens.ts";
 * parseTokens("# tenant token\nacme   s3cret-1\nglobex s3cret-2\n", "tokens.txt");
 * // { "s3cret-1": "acme", "s3cret-2": "globex" }
 * ```
 */
export function parseTokens(text: string, source: string): Record<string, string> {
  const tokens: Record<string, string> = Object.create(null);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `line ${index + 1} of tokens file "${source}"`;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) throw new UsageError(`Invalid ${where}: expected "tenant token"`);
    const [tenant, token] = fields as [string, string];
    if (tenant.length > MAX_TENANT_LENGTH) throw new UsageError(`Invalid ${where}: the tenant is over ${MAX_TENANT_LENGTH} characters`);
    if (token.length > MAX_TOKEN_LENGTH) throw new UsageError(`Invalid ${where}: the token is over ${MAX_TOKEN_LENGTH} characters`);
    if (Object.hasOwn(tokens, token)) throw new UsageError(`Invalid ${where}: the token is already given on an earlier line`);
    tokens[token] = tenant;
  });
  return { ...tokens };
}

/**
 * Reads a tokens file.
 *
 * @param path The file.
 * @returns Tenants by token.
 * @throws {LocalFileError} When the file cannot be read.
 * @throws {UsageError} When it is invalid.
 */
export function readTokens(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LocalFileError(`Cannot read tokens file "${path}" of --tokens: ${fileProblem(error)}`, { cause: error });
  }
  return parseTokens(text, path);
}
