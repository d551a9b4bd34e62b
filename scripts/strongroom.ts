/**
 * The `strongroom` command line: one command per part, per record
 * operation, and the launcher.
 *
 * @module
 */
import {
  deleteCommand,
  EXIT_CODES,
  PartExitError,
  readSettings,
  retrieveCommand,
  runBroker,
  runEncryptor,
  runStorage,
  SETTING_SPECS,
  type Settings,
  storeCommand,
  UsageError,
} from "../src/cli/mod.ts";
import { BROKER_SETTING_SPECS } from "../src/cli/broker-settings.ts";
import { statusCommand } from "../src/cli/status.ts";
import { StrongroomError } from "../src/protocol/wire/mod.ts";
import { bench } from "./bench.ts";
import { repl } from "./repl.ts";
import { up } from "./up.ts";

interface Command {
  usage: string;
  summary: string;
  /** Settings the command reads, listed in its help. */
  settings: string[];
  examples: string[];
  run: (settings: Settings, positionals: string[]) => Promise<void>;
}

const CLIENT = ["url", "token", "timeout", "tlsCa", "config", "json"];
// What the launcher hands on to the parts it starts (every setting it was given), listed in its help.
const PART_SETTINGS = [...BROKER_SETTING_SPECS.map((spec) => spec.name), "log", "config"];
const COMMANDS: Record<string, Command> = {
  up: {
    usage: "up",
    summary: "Start the whole service, every part in its own process, restarting any that crashes",
    // Its own settings, then those it hands to every part.
    settings: ["host", "port", "data", "encryptors", "runtime", ...PART_SETTINGS],
    examples: ["strongroom up", "strongroom up --port 8080 --data /var/lib/strongroom --encryptors 2", "strongroom up --runtime deno"],
    run: up,
  },
  broker: {
    usage: "broker",
    summary: "Start the broker (reads STRONGROOM_ACTOR_SECRET)",
    settings: ["host", "port", "tokens", "tlsCert", "tlsKey", "allowOrigins", "heartbeat", "maxFrame", "maxId", "maxInFlight", "maxConnections", "maxQueue", "maxBuffered", "routeWarmup", "grace", "log", "config"],
    examples: [
      "STRONGROOM_ACTOR_SECRET=… strongroom broker --port 7070",
      "STRONGROOM_ACTOR_SECRET=… strongroom broker --host 0.0.0.0 --tokens tokens.txt --tls-cert cert.pem --tls-key key.pem",
    ],
    run: runBroker,
  },
  encryptor: {
    usage: "encryptor",
    summary: "Start an encryptor actor (reads STRONGROOM_ACTOR_SECRET)",
    settings: ["url", "tlsCa", "maxFrame", "maxId", "grace", "log", "config"],
    examples: ["STRONGROOM_ACTOR_SECRET=… strongroom encryptor --url ws://127.0.0.1:7070"],
    run: runEncryptor,
  },
  storage: {
    usage: "storage",
    summary: "Start the storage actor (reads STRONGROOM_ACTOR_SECRET)",
    settings: ["url", "data", "tlsCa", "maxFrame", "maxId", "grace", "log", "config"],
    examples: ["STRONGROOM_ACTOR_SECRET=… strongroom storage --data ./data"],
    run: runStorage,
  },
  store: {
    usage: "store <id> [file]",
    summary: "Store a file (stdin when absent or -) under an id; prints only the key",
    settings: CLIENT,
    examples: ['KEY=$(strongroom store invoice-42 < invoice.pdf)', "echo hello | strongroom store greeting"],
    run: storeCommand,
  },
  retrieve: {
    usage: "retrieve <id> <key>",
    summary: "Write only the bytes stored under an id to stdout",
    settings: CLIENT,
    examples: ['strongroom retrieve invoice-42 "$KEY" > invoice.pdf'],
    run: retrieveCommand,
  },
  delete: {
    usage: "delete <id> <key>",
    summary: "Delete the record stored under an id",
    settings: CLIENT,
    examples: ['strongroom delete invoice-42 "$KEY"'],
    run: deleteCommand,
  },
  repl: {
    usage: "repl",
    summary: "Store, retrieve and delete by hand, with completion and history; reconnects by itself",
    settings: ["url", "token", "timeout", "tlsCa", "config"],
    examples: ["strongroom repl", "strongroom repl --url wss://vault.example:7070 --token $TOKEN"],
    run: repl,
  },
  status: {
    usage: "status",
    summary: "Show the actors registered with the broker and its counters",
    settings: CLIENT,
    examples: ["strongroom status", "strongroom status --json | jq .stats"],
    run: statusCommand,
  },
  bench: {
    usage: "bench",
    summary: "Measure store and retrieve, single and in batches, on a cluster it starts (or at --url) and print a table",
    settings: ["sizes", "inFlight", "duration", "warmup", "batch", "batchSize", "encryptors", "url", "token", "json"],
    examples: [
      "strongroom bench",
      "strongroom bench --sizes 1k,1m --in-flight 16 --duration 5000 --json > bench.json",
      "strongroom bench --sizes 1k --in-flight 16 --batch 100 --batch-size 1k",
    ],
    run: bench,
  },
};

function overview(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    "Usage: strongroom <command> [settings]",
    "",
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    'Run "strongroom <command> --help" for its settings and examples.',
    "Settings come from flags, else STRONGROOM_* variables, else the config file, else defaults.",
    "",
  ].join("\n");
}

function commandHelp(command: Command): string {
  const specs = SETTING_SPECS.filter((s) => command.settings.includes(s.name) && s.flag);
  const width = Math.max(...specs.map((s) => s.flag!.length + 2));
  return [
    `Usage: strongroom ${command.usage} [settings]`,
    "",
    `${command.summary}.`,
    "",
    "Settings:",
    ...specs.map((s) => `  ${`--${s.flag}`.padEnd(width)}  ${s.summary}${s.env ? ` [${s.env}]` : ""}`),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

function fail(error: unknown, json: boolean): number {
  const [code, message, status] =
    error instanceof UsageError
      ? ["USAGE", error.message, EXIT_CODES.USAGE]
      : error instanceof StrongroomError
        ? [error.code, error.message, EXIT_CODES[error.code]]
        : error instanceof PartExitError
          ? partFailure(error)
          : ["INTERNAL", error instanceof Error ? error.message : String(error), EXIT_CODES.INTERNAL];
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message, exit: status } })}\n` : `strongroom: ${code}: ${message}\n`);
  return status;
}

// A part the launcher started that refused to start: its status when it names an error class.
function partFailure(error: PartExitError): [string, string, number] {
  const named = Object.entries(EXIT_CODES).find(([name, status]) => status === error.status && name !== "OK");
  const message = `${error.message}; its own message is above`;
  return named ? [named[0], message, named[1]] : ["INTERNAL", message, EXIT_CODES.INTERNAL];
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(overview());
    return name === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  const json = rest.includes("--json");
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`Unknown command "${name}": run "strongroom help" for the list`);
    const { settings, positionals } = readSettings(rest, process.env);
    if (settings.help) {
      process.stdout.write(commandHelp(command));
      return EXIT_CODES.OK;
    }
    await command.run(settings, positionals);
    return EXIT_CODES.OK;
  } catch (error) {
    return fail(error, json);
  }
}

const status = await main(process.argv.slice(2));
// Long-running commands (parts, launcher) keep the process alive through their sockets and
// signal handlers; a failure ends the process at once, whatever handles are still open.
if (status !== EXIT_CODES.OK) process.exit(status);
