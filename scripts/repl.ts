/**
 * `strongroom repl` (`npm run repl`): the REPL on this terminal, against the
 * broker at `--url`, with its history in `~/.strongroom_history`
 * (`STRONGROOM_HISTORY` names another file; an empty value keeps none).
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { Settings } from "../src/cli/mod.ts";
import { trustedSocketFactory } from "../src/cli/trust.ts";
import { openSession, runRepl } from "../src/repl/mod.ts";

/**
 * Runs the REPL until `quit`, Ctrl-D or the end of input.
 *
 * @param settings URL, token, time budget, trusted certificates.
 */
export async function repl(settings: Settings): Promise<void> {
  const variable = process.env.STRONGROOM_HISTORY;
  const historyFile = variable === undefined ? join(homedir(), ".strongroom_history") : variable || undefined;
  const session = openSession({
    url: settings.url,
    token: settings.token,
    timeout: settings.timeout,
    socketFactory: trustedSocketFactory(settings),
  });
  await runRepl({ session, historyFile });
}
