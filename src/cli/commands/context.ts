/**
 * `strongroom context save|list|show|use|remove`: the saved contexts, named
 * sets of the URL, token file, certificates and time budget of one service
 * (`src/cli/contexts.ts` says where they are kept).
 *
 * @module
 */
import { CONTEXT_SETTINGS, type ContextValues, currentContext, listContexts, readContext, removeContext, saveContext, useContext } from "../contexts.ts";
import { UsageError } from "../errors.ts";
import { didYouMean } from "../suggest.ts";
import { writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";

const ACTIONS = ["save", "list", "show", "use", "remove"] as const;

function named(action: string, name: string | undefined): string {
  if (name === undefined) throw new UsageError(`"context ${action}" takes the name of a context: strongroom context ${action} NAME`);
  return name;
}

/** The `context` command. */
export const CONTEXT_COMMAND = defineCommand({
  name: "context",
  args: ["<save|list|show|use|remove>", "[name]"],
  summary: "Save, list, show, choose and remove named sets of --url, --token-file, --tls-ca and --timeout",
  settings: ["url", "tokenFile", "tlsCa", "timeout"],
  examples: [
    "strongroom context save prod --url wss://vault.example:7070 --token-file ~/.strongroom-token --tls-ca ca.pem",
    "strongroom context use prod",
    "strongroom store invoice-42 invoice.pdf --context staging",
    "strongroom context list",
  ],
  notes: [
    "Client commands take the settings of the context --context (or STRONGROOM_CONTEXT) names, else of the one \"context use\" chose; flags and STRONGROOM_* variables win over it.",
    "Contexts are kept in $XDG_CONFIG_HOME/strongroom/contexts/ (~/.config/strongroom/contexts/), readable by you alone; a context holds the path of a token file, never a token.",
  ],
  async run({ settings, flagged, args }) {
    const [action, name] = args as [string, string | undefined];
    const env = process.env;
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`Unknown action "${action}" of "context"${didYouMean(action, ACTIONS)}: it takes ${ACTIONS.join(", ")}`);
    }
    if (action !== "save" && flagged.size > [...flagged].filter((n) => n === "json" || n === "config").length) {
      throw new UsageError(`"context ${action}" takes no settings: they are for "context save"`);
    }
    if (action === "list") {
      if (name !== undefined) throw new UsageError('"context list" takes no name');
      const current = currentContext(env);
      const names = listContexts(env);
      await writeOut(
        settings.json
          ? `${JSON.stringify(names.map((n) => ({ name: n, current: n === current })))}\n`
          : names.length === 0
            ? 'No context is saved: save one with "strongroom context save NAME --url …"\n'
            : names.map((n) => `${n === current ? "*" : " "} ${n}\n`).join(""),
      );
    } else if (action === "show") {
      const shown = name ?? currentContext(env);
      if (shown === undefined) throw new UsageError('No context is current: name one (strongroom context show NAME), or choose one with "strongroom context use NAME"');
      const values = readContext(shown, env);
      await writeOut(
        settings.json
          ? `${JSON.stringify({ name: shown, current: shown === currentContext(env), ...values })}\n`
          : [`name: ${shown}`, ...CONTEXT_SETTINGS.filter((k) => values[k] !== undefined).map((k) => `${k}: ${values[k]}`), ""].join("\n"),
      );
    } else if (action === "save") {
      const values: ContextValues = {};
      for (const key of CONTEXT_SETTINGS) if (flagged.has(key) && settings[key] !== undefined) values[key] = settings[key];
      if (Object.keys(values).length === 0) throw new UsageError('"context save" needs at least one of --url, --token-file, --tls-ca and --timeout');
      const path = saveContext(named(action, name), values, env);
      process.stderr.write(`strongroom: saved context "${name}" in ${path}${currentContext(env) === undefined ? `; "strongroom context use ${name}" makes it the one used by default` : ""}\n`);
    } else if (action === "use") {
      useContext(named(action, name), env);
      process.stderr.write(`strongroom: client commands now use context "${name}"\n`);
    } else {
      removeContext(named(action, name), env);
      process.stderr.write(`strongroom: removed context "${name}"\n`);
    }
  },
});
