/**
 * `strongroom retrieve <id> <key>`: writes only the stored bytes to stdout,
 * or to the file `-o` names.
 *
 * @module
 */
import { keyFromText } from "../../client/mod.ts";
import { writeFileWhole, writeToStdout } from "../output-file.ts";
import { withClient } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `retrieve` command. */
export const RETRIEVE_COMMAND = defineCommand({
  name: "retrieve",
  args: ["<id>", "<key>"],
  summary: "Write only the bytes stored under an id to stdout (or to -o FILE)",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa", "output", "force"],
  examples: ['strongroom retrieve invoice-42 "$KEY" > invoice.pdf', 'strongroom retrieve invoice-42 "$KEY" -o invoice.pdf'],
  notes: ["It refuses to write bytes that are not text to a terminal, which they would garble, unless --force is given."],
  async run({ settings, args }) {
    const [id, keyText] = args as [string, string];
    const key = keyFromText(keyText);
    const payload = await withClient(settings, (client) => client.retrieve(id, key));
    if (settings.output !== undefined) await writeFileWhole(settings.output, payload);
    else await writeToStdout(payload, settings.force);
  },
});
