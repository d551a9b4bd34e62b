/**
 * `strongroom up` (`npm start`): the launcher. It starts the broker, the
 * storage actor and the encryptors, each as its own process, restarts any
 * that crashes, prints one ready line once all are registered, and on
 * Ctrl-C or SIGTERM (or when its own parent goes away) stops them in order:
 * encryptors, storage, broker, giving each its grace period and killing
 * one that takes longer. A second Ctrl-C kills them at once. The parts run
 * on the launcher's runtime, or on the one `--runtime` names.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { KILL_MARGIN_MS } from "../child.ts";
import { launchAccess } from "../launch-access.ts";
import { onShutdown, watchParent } from "../process.ts";
import { brokerUrl } from "../ready-line.ts";
import type { SettingName } from "../setting-specs.ts";
import { settingsEnvironment } from "../settings.ts";
import { Supervisor } from "../supervisor.ts";
import { BROKER_COMMAND } from "./broker.ts";
import { defineCommand } from "./command.ts";
import { ENCRYPTOR_COMMAND } from "./encryptor.ts";
import { STORAGE_COMMAND } from "./storage.ts";

type PartSetting = (typeof BROKER_COMMAND.settings | typeof STORAGE_COMMAND.settings | typeof ENCRYPTOR_COMMAND.settings)[number];
type HandedOn = Exclude<PartSetting, "url" | "actorSecret">;

/**
 * The settings of the parts that the launcher takes and hands on to them:
 * all of theirs, less the broker's URL (it knows it) and the actor secret
 * (it makes one for each launch).
 */
export const HANDED_ON_SETTINGS: readonly HandedOn[] = [
  ...new Set([...BROKER_COMMAND.settings, ...STORAGE_COMMAND.settings, ...ENCRYPTOR_COMMAND.settings]),
].filter((name): name is HandedOn => name !== "url" && name !== "actorSecret");

/** The `up` command. */
export const UP_COMMAND = defineCommand({
  name: "up",
  args: [],
  summary: "Start the whole service, every part in its own process, restarting any that crashes",
  settings: ["encryptors", "runtime", ...HANDED_ON_SETTINGS],
  examples: ["strongroom up", "strongroom up --port 8080 --data /var/lib/strongroom --encryptors 2", "strongroom up --runtime deno"],
  notes: [
    "It hands every setting of the broker, the storage actor and the encryptors that it was given on to the parts it starts.",
    `A part that has not stopped ${KILL_MARGIN_MS} ms after its grace period (--grace) is killed.`,
  ],
  async run({ settings, given }) {
    const access = launchAccess(settings);
    const handedOn = [...HANDED_ON_SETTINGS, "config"] as const satisfies readonly SettingName[];
    const env = {
      ...process.env,
      // The parts read the settings the launcher was given, from wherever it got them.
      ...settingsEnvironment(settings, handedOn.filter((name) => given.has(name))),
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
    // Each part gives requests in flight its grace period, then closes; past that and a margin, it is killed.
    const killAfter = settings.grace + KILL_MARGIN_MS;
    const stopAll = (group: Supervisor[]) => Promise.all(group.map((part) => part.stop(killAfter)));

    onShutdown(
      async () => {
        notice("stopping: encryptors, then storage, then the broker");
        const encryptors = parts.filter((p) => p.name.startsWith("encryptor"));
        for (const group of [encryptors, parts.filter((p) => p.name === "storage"), parts.filter((p) => p.name === "broker")]) {
          await stopAll(group);
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
      await stopAll(parts);
      access.remove();
      throw error;
    }
    process.stdout.write(
      `strongroom is ready at ${url} (${access.summary}); try: echo hello | npx strongroom store greeting --url ${url}${access.clientFlags}; Ctrl-C stops it\n`,
    );
  },
});
