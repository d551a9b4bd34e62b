/**
 * `strongroom status`: asks the broker (`$broker` ops) which actors serve
 * which roles and for its counters, and prints a table, or JSON with `--json`.
 *
 * @module
 */
import { formatStatus } from "../status.ts";
import { withClient, writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";

/** The `status` command. */
export const STATUS_COMMAND = defineCommand({
  name: "status",
  args: [],
  summary: "Show the actors registered with the broker and its counters",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa"],
  examples: ["strongroom status", "strongroom status --json | jq .stats"],
  async run({ settings }) {
    const [actors, stats] = await withClient(settings, (client) => Promise.all([client.actors(), client.stats()]), { name: "status", reconnect: false });
    await writeOut(settings.json ? `${JSON.stringify({ actors, stats }, null, 2)}\n` : formatStatus(actors, stats));
  },
});
