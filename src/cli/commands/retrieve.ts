/**
 * `strongroom retrieve <id> <key>`: writes only the stored bytes to stdout,
 * or to the file `-o` names.
 *
 * @module
 */
import { writeFileWhole, writeToStdout } from "../output-file.ts";
import { recordKey } from "../record-key.ts";
import { withClient } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `retrieve` command. */
export const RETRIEVE_COMMAND = defineCommand({
  name: "retrieve",
  args: ["<id>", "[key]"],
  summary: "Write only the bytes stored under an id to stdout (or to -o FILE)",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa", "output", "force"],
  examples: ['echo "$KEY" | strongroom retrieve invoice-42 > invoice.pdf', 'STRONGROOM_KEY="$KEY" strongroom retrieve invoice-42 -o invoice.pdf'],
  notes: [
    "The key comes from STRONGROOM_KEY, else from the first line of stdin (typed without echo at a terminal); given after the id it works too, but other users of the machine see it in ps.",
    "It refuses to write bytes that are not text to a terminal, which they would garble, unless --force is given.",
  ],
  async run({ settings, args }) {
    const [id, keyText] = args as [string, string | undefined];
    const key = await recordKey("retrieve", keyText);
    const payload = await withClient(settings, (client) => client.retrieve(id, key));
    if (settings.output !== undefined) await writeFileWhole(settings.output, payload);
    else await writeToStdout(payload, settings.force);
  },
});
