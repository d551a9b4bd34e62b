/**
 * A cluster of processes and a client connected to it, started before the
 * tests of a suite and stopped after them.
 *
 * @module
 */
import { after, before } from "node:test";
import { type Cluster, type ClusterOptions, startCluster } from "../../src/cli/cluster.ts";
import { type ClientOptions, connect, type StrongroomClient } from "../../src/client/mod.ts";

/** The cluster and client of a suite, there once its `before` hook has run. */
export interface ClusterWithClient {
  readonly cluster: Cluster;
  readonly client: StrongroomClient;
}

/**
 * Registers `before` and `after` hooks in the calling suite that start a
 * cluster (each part its own process) and connect a client to it, then
 * close the client and stop the cluster.
 *
 * @param options Options of the cluster and of the client. @default {}
 * @returns The cluster and the client, to use inside the suite's tests.
 */
export function clusterWithClient(options: { cluster?: ClusterOptions; client?: ClientOptions } = {}): ClusterWithClient {
  let cluster: Cluster | undefined;
  let client: StrongroomClient | undefined;
  before(async () => {
    cluster = await startCluster(options.cluster);
    client = await connect(cluster.url, options.client);
  });
  after(async () => {
    await client?.close();
    await cluster?.stop();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error("The cluster starts in the suite's before hook");
      return cluster;
    },
    get client() {
      if (!client) throw new Error("The client connects in the suite's before hook");
      return client;
    },
  };
}
