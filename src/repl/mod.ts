/**
 * The REPL: store, retrieve and delete by hand, look at the broker's actors
 * and figures, with completion, history that keeps no key or payload, and a
 * connection that comes back by itself.
 *
 * @example Running the REPL on this terminal
 * ```ts
 * import { openSession, runRepl } from "./mod.ts";
 * const status = await runRepl({ session: openSession({ url: "ws://127.0.0.1:7070" }) });
 * ```
 *
 * @module
 */
export { COMMAND_NAMES, type LineResult, type ReplContext, ReplUsageError, runLine } from "./commands.ts";
export { showBytes } from "./format.ts";
export { HISTORY_SIZE, historyLine, loadHistory, saveHistory } from "./history.ts";
export { complete, type ReplOptions, runRepl } from "./repl.ts";
export { openSession, type ReplSession, type ReplSessionOptions } from "./session.ts";
export { type Token, tokenize } from "./tokenize.ts";
