/**
 * The launcher (`strongroom up`, `npm start`): starts the broker, the storage
 * actor and the encryptors, each as its own process, restarts any that
 * crashes, prints one ready line once all are registered, and on Ctrl-C or
 * SIGTERM (or when its own parent goes away) stops them in order:
 * encryptors, storage, broker. A second Ctrl-C kills them at once. The parts
 * run on the launcher's runtime, or on the one `--runtime` names.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { launchAccess } from "../src/cli/launch-access.ts";
import { brokerUrl, onShutdown, type Settings, settingsEnvironment, watchParent } from "../src/cli/mod.ts";
import { Supervisor } from "../src/cli/supervisor.ts";

/**
 * Runs the whole service until it is told to stop.
 *
 * @param settings Host, port, data directory and number of encryptors.
 */
export async function up(settings: Settings): Promise<void> {
  const access = launchAccess(settings);
  const env = {
    ...process.env,
    // The parts read the settings the launcher was given, from wherever it got them.
    ...settingsEnvironment(settings),
    ...access.env,
    // A fresh actor secret for this launch, handed to the parts in their environment only.
    STRONGROOM_ACTOR_SECRET: randomBytes(32).toString("base64url"),
    STRONGROOM_WATCH_PARENT: "1",
  };
  const names = ["broker", "storage", ...Array.from({ length: settings.encryptors }, (_, i) => `encryptor-${i + 1}`)];
  const nameWidth = Math.max(...names.map((n) => n.length));
  const notice = (message: string) => process.stderr.write(`${"up".padEnd(nameWidth)} | ${message}\n`);
  const parts: Supervisor[] = [];
  const launch = (name: string, args: string[]) => {
    const part = new Supervisor({ name, args, env, nameWidth, notice, runtime: settings.runtime });
    parts.push(part);
    return part;
  };

  onShutdown(
    async () => {
      notice("stopping: encryptors, then storage, then the broker");
      const encryptors = parts.filter((p) => p.name.startsWith("encryptor"));
      for (const group of [encryptors, parts.filter((p) => p.name === "storage"), parts.filter((p) => p.name === "broker")]) {
        await Promise.all(group.map((part) => part.stop()));
      }
      access.remove();
      notice("stopped");
      return 0;
    },
    () => {
      notice("second signal: killing every part");
      for (const part of parts) part.kill();
      access.remove();
    },
  );

  // `npm start` runs this under `sh`; a signal to npm may never reach us, but its exit does.
  watchParent(() => process.kill(process.pid, "SIGTERM"));

  let url: string;
  try {
    const broker = launch("broker", ["broker", "--host", settings.host, "--port", String(settings.port)]);
    url = brokerUrl(await broker.child.ready);
    // A restarted broker must come back where the actors and clients look for it.
    broker.setArgs(["broker", "--host", settings.host, "--port", new URL(url).port]);
    const actors = [
      launch("storage", ["storage", "--url", url, "--data", settings.data]),
      ...names.slice(2).map((name) => launch(name, ["encryptor", "--url", url])),
    ];
    await Promise.all(actors.map((part) => part.child.ready));
  } catch (error) {
    // A part that cannot start (its message is above): stop the others, and fail as it did.
    await Promise.all(parts.map((part) => part.stop()));
    access.remove();
    throw error;
  }
  process.stdout.write(
    `strongroom is ready at ${url} (${access.summary}); try: echo hello | npx strongroom store greeting --url ${url}${access.clientFlags}; Ctrl-C stops it\n`,
  );
}
