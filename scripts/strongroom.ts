/**
 * The `strongroom` command line: one command per part, per record
 * operation, and the launcher.
 *
 * @module
 */
import {
  deleteCommand,
  EXIT_CODES,
  readSettings,
  retrieveCommand,
  runBroker,
  runEncryptor,
  runStorage,
  type Settings,
  storeCommand,
  UsageError,
} from "../src/cli/mod.ts";
import { statusCommand } from "../src/cli/status.ts";
import { StrongroomError } from "../src/protocol/mod.ts";
import { up } from "./up.ts";

type Command = { summary: string; usage: string; run: (settings: Settings, positionals: string[]) => Promise<void> };

const COMMANDS: Record<string, Command> = {
  up: { summary: "Start the whole service, every part in its own process", usage: "up [--host H] [--port P] [--data DIR] [--encryptors N]", run: up },
  broker: { summary: "Start the broker", usage: "broker [--host H] [--port P]", run: runBroker },
  encryptor: { summary: "Start an encryptor actor", usage: "encryptor [--url URL]", run: runEncryptor },
  storage: { summary: "Start the storage actor", usage: "storage [--url URL] [--data DIR]", run: runStorage },
  store: { summary: "Store a file (or stdin) under an id; prints the key", usage: "store <id> [file]", run: storeCommand },
  retrieve: { summary: "Write the bytes stored under an id to stdout", usage: "retrieve <id> <key>", run: retrieveCommand },
  delete: { summary: "Delete the record stored under an id", usage: "delete <id> <key>", run: deleteCommand },
  status: { summary: "Show the broker's actors and counters (--json for machines)", usage: "status [--json]", run: statusCommand },
};

function help(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  strongroom ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    "Usage:",
    ...lines,
    "",
    "Settings: --url, --host, --port, --data, --token, --timeout, --encryptors, or the same as",
    "STRONGROOM_URL, STRONGROOM_HOST, … environment variables. Actors read STRONGROOM_ACTOR_SECRET.",
    "Broker: --tokens FILE, --tls-cert FILE, --tls-key FILE, --heartbeat MS, --max-frame, --max-in-flight,",
    "--max-connections, --max-queue, --max-buffered (bytes), --warmup MS; parts: --grace MS (time to finish on SIGTERM).",
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(help());
    return name === undefined ? EXIT_CODES.USAGE : EXIT_CODES.OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`Unknown command "${name}": run "strongroom help" for the list`);
    const { settings, positionals } = readSettings(rest, process.env);
    if (settings.help) {
      process.stdout.write(`Usage: strongroom ${command.usage}\n${command.summary}.\n`);
      return EXIT_CODES.OK;
    }
    await command.run(settings, positionals);
    return EXIT_CODES.OK;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`strongroom: ${error.message}\n`);
      return EXIT_CODES.USAGE;
    }
    if (error instanceof StrongroomError) {
      process.stderr.write(`strongroom: ${error.code}: ${error.message}\n`);
      return EXIT_CODES[error.code];
    }
    process.stderr.write(`strongroom: INTERNAL: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.INTERNAL;
  }
}

const status = await main(process.argv.slice(2));
// Long-running commands (parts, launcher) keep the process alive through their sockets and
// signal handlers; a failure ends the process at once, whatever handles are still open.
if (status !== EXIT_CODES.OK) process.exit(status);
