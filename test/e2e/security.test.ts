import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { selfCommand } from "../../src/cli/process.ts";
import { connect, NotFoundError, type SocketFactory, type StrongroomClient } from "../../src/client/mod.ts";
import { type Cluster, startCluster } from "../../src/cli/cluster.ts";
import { selfSignedCertificate, type TestCertificate } from "../_helpers/tls.ts";

const run = promisify(execFile);

describe("tenants, tokens and TLS on a broker listening on every interface", () => {
  let cluster: Cluster;
  let tls: TestCertificate;
  let dir: string;
  let trusting: SocketFactory;
  const clients: StrongroomClient[] = [];

  before(async () => {
    tls = selfSignedCertificate();
    dir = mkdtempSync(join(tmpdir(), "strongroom-tokens-"));
    writeFileSync(join(dir, "tokens"), "# tenant token\nacme token-of-acme\nglobex token-of-globex\n");
    cluster = await startCluster({
      brokerArgs: ["--host", "0.0.0.0", "--tokens", join(dir, "tokens"), "--tls-cert", tls.certPath, "--tls-key", tls.keyPath],
      // The actors trust the test's certificate through the setting made for a private CA.
      env: { STRONGROOM_TLS_CA: tls.certPath },
    });
    trusting = (url, protocol) => new WebSocket(url, protocol, { ca: tls.cert }) as never;
  });
  after(async () => {
    for (const client of clients) await client.close();
    await cluster?.stop();
    tls?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  async function client(token?: string): Promise<StrongroomClient> {
    const connected = await connect(cluster.url, { token, socketFactory: trusting });
    clients.push(connected);
    return connected;
  }

  it("speaks wss:// off loopback", () => {
    assert.match(cluster.output(), /broker listening on wss:\/\/0\.0\.0\.0:\d+/);
  });

  it("refuses a client without a valid token", async () => {
    for (const token of [undefined, "", "token-of-nobody", "token-of-acme "]) {
      await assert.rejects(client(token), (error: unknown) => {
        assert.equal((error as { code: string }).code, "UNAUTHENTICATED");
        assert.doesNotMatch((error as Error).message, /token-of/);
        return true;
      });
    }
  });

  it("never lets tenant B retrieve or delete tenant A's record, even with A's id and key", async () => {
    const acme = await client("token-of-acme");
    const globex = await client("token-of-globex");
    const key = await acme.store("invoice-42", "acme's secret");
    await assert.rejects(globex.retrieve("invoice-42", key), NotFoundError);
    await assert.rejects(globex.delete("invoice-42", key), NotFoundError);
    assert.equal(new TextDecoder().decode(await acme.retrieve("invoice-42", key)), "acme's secret");
    // B's own record under the same id is another record.
    const globexKey = await globex.store("invoice-42", "globex's secret");
    assert.equal(new TextDecoder().decode(await globex.retrieve("invoice-42", globexKey)), "globex's secret");
    await assert.rejects(acme.retrieve("invoice-42", globexKey), NotFoundError);
  });

  it("serves the command line with a token over wss://", async () => {
    const { command, args } = selfCommand(["status", "--url", cluster.url, "--token", "token-of-acme", "--tls-ca", tls.certPath, "--json"]);
    const { stdout } = await run(command, args);
    assert.deepEqual(JSON.parse(stdout).actors.roles.map((r: { role: string }) => r.role).sort(), ["encryptor", "storage"]);
  });

  it("refuses to start a broker off loopback without client tokens", async () => {
    const { command, args } = selfCommand(["broker", "--host", "0.0.0.0", "--port", "0"]);
    const failed = await run(command, args, { env: { ...process.env, STRONGROOM_ACTOR_SECRET: "a secret of sixteen or more" } }).catch((e) => e);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /needs client tokens/);
  });
});
