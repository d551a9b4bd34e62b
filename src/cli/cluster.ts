/**
 * Starts a broker, a storage actor and encryptors as separate processes on a
 * free port and a fresh data directory, and keeps everything they print:
 * the cluster that end-to-end tests and the benchmark run against.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, startChild } from "./child.ts";
import { brokerUrl } from "./ready-line.ts";
import type { Runtime } from "./runtime.ts";

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Encryptor processes. @default 1 */
  encryptors?: number;
  /** Data directory; a fresh temporary one when absent. */
  dataDir?: string;
  /** Extra environment for every part. @default {} */
  env?: Record<string, string>;
  /** Extra arguments of the broker, such as limits. @default [] */
  brokerArgs?: string[];
  /** Runtime of the broker. @default the runtime of this process */
  brokerRuntime?: Runtime;
  /** Runtime of the storage actor and the encryptors. @default the runtime of this process */
  actorRuntime?: Runtime;
  /** Whether to start the storage actor. @default true */
  storage?: boolean;
}

/** A running set of parts. */
export interface Cluster {
  readonly url: string;
  readonly dataDir: string;
  readonly secret: string;
  /** Every line every part printed so far. */
  output(): string;
  /** The running child of a part (`broker`, `storage`, `encryptor-1`, …). */
  part(name: string): Child;
  /** Starts a part again after it exited (the broker on the same port), and waits until it is ready. */
  restart(name: string): Promise<void>;
  /** Stops every part and removes a temporary data directory. */
  stop(): Promise<void>;
}

/**
 * Starts a broker, a storage actor and encryptors as separate processes.
 *
 * @param options How many encryptors, which data directory.
 * @returns The running cluster.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const { encryptors = 1 } = options;
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "strongroom-test-"));
  const secret = randomBytes(32).toString("base64url");
  // Parts stop by themselves when the process that started them dies without stopping them.
  const env = { ...process.env, STRONGROOM_ACTOR_SECRET: secret, STRONGROOM_WATCH_PARENT: "1", ...options.env };
  const lines: string[] = [];
  const children = new Map<string, Child>();
  const argsOf = new Map<string, string[]>();

  const launch = (name: string, args: string[]) => {
    argsOf.set(name, args);
    const runtime = name === "broker" ? options.brokerRuntime : options.actorRuntime;
    const child = startChild({ name, args, env, runtime, onLine: (line) => lines.push(line) });
    children.set(name, child);
    return child;
  };

  const brokerArgs = options.brokerArgs ?? [];
  const broker = launch("broker", ["broker", "--port", "0", ...brokerArgs]);
  const url = brokerUrl(await broker.ready);
  argsOf.set("broker", ["broker", "--port", new URL(url).port, ...brokerArgs]);
  const actors = [
    ...(options.storage === false ? [] : [launch("storage", ["storage", "--url", url, "--data", dataDir])]),
    ...Array.from({ length: encryptors }, (_, i) => launch(`encryptor-${i + 1}`, ["encryptor", "--url", url])),
  ];
  await Promise.all(actors.map((child) => child.ready));

  return {
    url,
    dataDir,
    secret,
    output: () => lines.join("\n"),
    part(name) {
      const child = children.get(name);
      if (!child) throw new Error(`No part named "${name}"`);
      return child;
    },
    async restart(name) {
      await children.get(name)?.exited;
      await launch(name, argsOf.get(name)!).ready;
    },
    async stop() {
      await Promise.all([...children.values()].filter((c) => c.name !== "broker").map((c) => c.stop(5000)));
      await children.get("broker")?.stop(5000);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
