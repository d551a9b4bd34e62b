/**
 * `strongroom repl` (`npm run repl`): the REPL on this terminal, against the
 * broker at `--url`, with its history in `~/.strongroom_history`
 * (`STRONGROOM_HISTORY` names another file; an empty value keeps none).
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { openSession, runRepl } from "../../repl/mod.ts";
import { clientToken } from "../client-token.ts";
import { trustedSocketFactory } from "../trust.ts";
import { defineCommand } from "./command.ts";

/** The `repl` command. */
export const REPL_COMMAND = defineCommand({
  name: "repl",
  args: [],
  summary: "Store, retrieve and delete by hand, with completion and history; reconnects by itself",
  settings: ["url", "token", "tokenFile", "context", "timeout", "tlsCa"],
  examples: ["strongroom repl", "strongroom repl --url wss://vault.example:7070"],
  notes: ["History is kept in ~/.strongroom_history; STRONGROOM_HISTORY names another file, and an empty value keeps none."],
  async run({ settings }) {
    const variable = process.env.STRONGROOM_HISTORY;
    const historyFile = variable === undefined ? join(homedir(), ".strongroom_history") : variable || undefined;
    const session = openSession({
      url: settings.url,
      token: clientToken(settings),
      timeout: settings.timeout,
      socketFactory: trustedSocketFactory(settings),
    });
    await runRepl({ session, historyFile });
  },
});
