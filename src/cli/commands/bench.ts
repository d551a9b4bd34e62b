/**
 * `strongroom bench` (`npm run bench`): measures store and retrieve, single
 * and in batches, on a cluster it starts, or on the service at `--url`.
 *
 * @module
 */
import { runBench } from "../../bench/bench.ts";
import { clientToken } from "../client-token.ts";
import { trustedSocketFactory } from "../trust.ts";
import { defineCommand } from "./command.ts";

/** The `bench` command. */
export const BENCH_COMMAND = defineCommand({
  name: "bench",
  args: [],
  summary: "Measure store and retrieve, single and in batches, on a cluster it starts (or at --url) and print a table",
  settings: ["sizes", "inFlight", "duration", "warmup", "batch", "batchSize", "encryptors", "url", "token", "tokenFile", "tlsCa"],
  examples: [
    "strongroom bench",
    "strongroom bench --sizes 1k,1m --in-flight 16 --duration 5000 --json > bench.json",
    "strongroom bench --sizes 1k --in-flight 16 --batch 100 --batch-size 1k",
  ],
  notes: ["Without --url (or STRONGROOM_URL, or url in the config file) it starts a cluster of its own, every part in its own process, and --encryptors sets how many encryptors it has."],
  async run({ settings, given }) {
    await runBench({
      ...settings,
      // A URL from any source means "measure that service"; only its default means "start one".
      url: given.has("url") ? settings.url : undefined,
      token: clientToken(settings),
      socketFactory: trustedSocketFactory(settings),
    });
  },
});
