/**
 * The launcher (`strongroom up`, `npm start`): starts the broker, the storage
 * actor and the encryptors, each as its own process, prints one ready line,
 * and stops them all in order (encryptors, storage, broker) on Ctrl-C,
 * SIGTERM, or when its own parent goes away. The parts run on the launcher's
 * runtime, or on the one `--runtime` names.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { type Child, startChild } from "../src/cli/child.ts";
import { onShutdown, type Settings } from "../src/cli/mod.ts";

/**
 * Runs the whole service until it is told to stop.
 *
 * @param settings Host, port, data directory and number of encryptors.
 */
export async function up(settings: Settings): Promise<void> {
  // A fresh actor secret for this launch, handed to the parts in their environment only.
  const env = {
    ...process.env,
    STRONGROOM_ACTOR_SECRET: randomBytes(32).toString("base64url"),
    STRONGROOM_WATCH_PARENT: "1",
  };
  const names = ["broker", "storage", ...Array.from({ length: settings.encryptors }, (_, i) => `encryptor-${i + 1}`)];
  const nameWidth = Math.max(...names.map((n) => n.length));
  const children: Child[] = [];
  let stopping = false;

  async function stopAll(): Promise<void> {
    stopping = true;
    // Encryptors first so that nothing new reaches storage, the broker last so that answers get out.
    const order = [...children].reverse();
    for (const group of [order.filter((c) => c.name.startsWith("encryptor")), order.filter((c) => c.name === "storage"), order.filter((c) => c.name === "broker")]) {
      await Promise.all(group.map((child) => child.stop()));
    }
  }

  function launch(name: string, args: string[]): Child {
    const child = startChild({ name, args, env, nameWidth, runtime: settings.runtime });
    children.push(child);
    void child.exited.then((status) => {
      if (stopping) return;
      process.stderr.write(`strongroom: part "${name}" exited with ${status}; stopping the others\n`);
      void stopAll().then(() => process.exit(1));
    });
    return child;
  }

  onShutdown(async () => {
    await stopAll();
    return 0;
  });

  const broker = launch("broker", ["broker", "--host", settings.host, "--port", String(settings.port)]);
  const url = /listening on (\S+)/.exec(await broker.ready)?.[1] ?? settings.url;
  const actors = [
    launch("storage", ["storage", "--url", url, "--data", settings.data]),
    ...names.slice(2).map((name) => launch(name, ["encryptor", "--url", url])),
  ];
  await Promise.all(actors.map((child) => child.ready));
  process.stdout.write(
    `strongroom is ready at ${url} (try: echo hello | npx strongroom store greeting --url ${url}); Ctrl-C stops it\n`,
  );
}
