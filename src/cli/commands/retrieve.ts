/**
 * `strongroom retrieve <id> <key>`: writes only the stored bytes to stdout.
 *
 * @module
 */
import { keyFromText } from "../../client/mod.ts";
import { withClient, writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `retrieve` command. */
export const RETRIEVE_COMMAND = defineCommand({
  name: "retrieve",
  args: ["<id>", "<key>"],
  summary: "Write only the bytes stored under an id to stdout",
  settings: ["url", "token", "timeout", "tlsCa"],
  examples: ['strongroom retrieve invoice-42 "$KEY" > invoice.pdf'],
  async run({ settings, args }) {
    const [id, keyText] = args as [string, string];
    const key = keyFromText(keyText);
    const payload = await withClient(settings, (client) => client.retrieve(id, key));
    await writeOut(payload);
  },
});
