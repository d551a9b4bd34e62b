/**
 * `strongroom delete <id> <key>`: deletes the record stored under an id.
 *
 * @module
 */
import { recordKey } from "../record-key.ts";
import { withClient } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `delete` command. */
export const DELETE_COMMAND = defineCommand({
  name: "delete",
  args: ["<id>", "[key]"],
  summary: "Delete the record stored under an id",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa"],
  examples: ['echo "$KEY" | strongroom delete invoice-42', 'STRONGROOM_KEY="$KEY" strongroom delete invoice-42'],
  notes: ["The key comes from STRONGROOM_KEY, else from the first line of stdin (typed without echo at a terminal); given after the id it works too, but other users of the machine see it in ps."],
  async run({ settings, args }) {
    const [id, keyText] = args as [string, string | undefined];
    const key = await recordKey("delete", keyText);
    await withClient(settings, (client) => client.delete(id, key));
  },
});
