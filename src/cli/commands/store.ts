/**
 * `strongroom store <id> [file]`: stores a file, or stdin, and prints only
 * the key.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { encodeBase64Url } from "../../client/mod.ts";
import { withClient, writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";

async function readInput(file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined && file !== "-") return await readFile(file);
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

/** The `store` command. */
export const STORE_COMMAND = defineCommand({
  name: "store",
  args: ["<id>", "[file]"],
  summary: "Store a file (stdin when absent or -) under an id; prints only the key",
  settings: ["url", "token", "timeout", "tlsCa"],
  examples: ["KEY=$(strongroom store invoice-42 < invoice.pdf)", "echo hello | strongroom store greeting"],
  async run({ settings, args }) {
    const [id, file] = args as [string, string | undefined];
    const payload = await readInput(file);
    const key = await withClient(settings, (client) => client.store(id, payload));
    await writeOut(`${encodeBase64Url(key)}\n`);
  },
});
