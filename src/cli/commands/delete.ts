/**
 * `strongroom delete <id> <key>`: deletes the record stored under an id.
 *
 * @module
 */
import { keyFromText } from "../../client/mod.ts";
import { withClient } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `delete` command. */
export const DELETE_COMMAND = defineCommand({
  name: "delete",
  args: ["<id>", "<key>"],
  summary: "Delete the record stored under an id",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa"],
  examples: ['strongroom delete invoice-42 "$KEY"'],
  async run({ settings, args }) {
    const [id, keyText] = args as [string, string];
    const key = keyFromText(keyText);
    await withClient(settings, (client) => client.delete(id, key));
  },
});
