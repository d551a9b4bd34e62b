/**
 * The `store`, `retrieve` and `delete` commands: one call each through the
 * client library, bytes on stdin and stdout, the key as base64url text.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { connect, encodeBase64Url, keyFromText, type StrongroomClient } from "../client/mod.ts";
import { type Settings, UsageError } from "./settings.ts";
import { trustedSocketFactory } from "./trust.ts";

async function withClient<T>(settings: Settings, work: (client: StrongroomClient) => Promise<T>): Promise<T> {
  const client = await connect(settings.url, {
    token: settings.token,
    timeout: settings.timeout,
    name: "cli",
    socketFactory: trustedSocketFactory(settings),
  });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * Parses a key given as text.
 *
 * @param text Unpadded base64url of 32 bytes.
 * @returns The key.
 * @throws {BadRequestError} When the text is not such a key.
 */
export function parseKey(text: string): Uint8Array {
  return keyFromText(text);
}

async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined && file !== "-") return await readFile(file);
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

function writeOut(bytes: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
}

function expectArgs(positionals: string[], min: number, max: number, usage: string): void {
  if (positionals.length < min || positionals.length > max) throw new UsageError(`Usage: ${usage}`);
}

/**
 * `store <id> [file]`: stores the file (stdin when absent or `-`) and prints the key.
 *
 * @param settings URL, token, timeout.
 * @param positionals The id and the optional file.
 */
export async function storeCommand(settings: Settings, positionals: string[]): Promise<void> {
  expectArgs(positionals, 1, 2, "strongroom store <id> [file]");
  const [id, file] = positionals as [string, string | undefined];
  const payload = await readInput(file);
  const key = await withClient(settings, (client) => client.store(id, payload));
  await writeOut(`${encodeBase64Url(key)}\n`);
}

/**
 * `retrieve <id> <key>`: writes the stored bytes to stdout.
 *
 * @param settings URL, token, timeout.
 * @param positionals The id and the key.
 */
export async function retrieveCommand(settings: Settings, positionals: string[]): Promise<void> {
  expectArgs(positionals, 2, 2, "strongroom retrieve <id> <key>");
  const [id, keyText] = positionals as [string, string];
  const key = parseKey(keyText);
  const payload = await withClient(settings, (client) => client.retrieve(id, key));
  await writeOut(payload);
}

/**
 * `delete <id> <key>`: deletes the record.
 *
 * @param settings URL, token, timeout.
 * @param positionals The id and the key.
 */
export async function deleteCommand(settings: Settings, positionals: string[]): Promise<void> {
  expectArgs(positionals, 2, 2, "strongroom delete <id> <key>");
  const [id, keyText] = positionals as [string, string];
  const key = parseKey(keyText);
  await withClient(settings, (client) => client.delete(id, key));
}
