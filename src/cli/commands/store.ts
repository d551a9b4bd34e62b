/**
 * `strongroom store <id> [file]`: stores a file, or stdin, and prints only
 * the key.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { encodeBase64Url } from "../../client/mod.ts";
import { fileProblem, LocalFileError } from "../errors.ts";
import { withClient, writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";

async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined && file !== "-") {
    try {
      return await readFile(file);
    } catch (error) {
      throw new LocalFileError(`Cannot read file "${file}": ${fileProblem(error)}; give the path of a file, or - (or nothing) to read stdin`, { cause: error });
    }
  }
  // A person at a terminal would otherwise wait for an answer that never comes.
  if (process.stdin.isTTY) process.stderr.write("strongroom: reading the record from the terminal; end it with Ctrl-D (or give a file, or pipe into strongroom store)\n");
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

/** The `store` command. */
export const STORE_COMMAND = defineCommand({
  name: "store",
  args: ["<id>", "[file]"],
  summary: "Store a file (stdin when absent or -) under an id; prints only the key",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa"],
  examples: ["KEY=$(strongroom store invoice-42 < invoice.pdf)", "echo hello | strongroom store greeting", "strongroom store -- -id-with-a-dash file.txt"],
  async run({ settings, args }) {
    const [id, file] = args as [string, string | undefined];
    const payload = await readInput(file);
    const key = await withClient(settings, (client) => client.store(id, payload));
    await writeOut(`${encodeBase64Url(key)}\n`);
  },
});
