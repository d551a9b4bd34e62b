import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LATENCY_BUCKETS, MAX_OPS_PER_ROLE, Metrics } from "./metrics.ts";

const GAUGES = {
  connections: { client: 2, actor: 3 },
  roles: [{ role: "encryptor", actors: 2, queued: 5, inFlight: 7 }],
  uptime: 12.5,
  rss: 1000,
};

describe("Metrics", () => {
  it("renders counters, gauges and a cumulative histogram in the Prometheus text format", () => {
    const metrics = new Metrics();
    metrics.record("encryptor", "store", "ok", 0.003);
    metrics.record("encryptor", "store", "ok", 0.2);
    metrics.record("encryptor", "retrieve", "NOT_FOUND", 20); // not answered ok yet: op "other"
    const text = metrics.render(GAUGES);
    for (const line of [
      "# TYPE strongroom_connections gauge",
      'strongroom_connections{kind="client"} 2',
      'strongroom_connections{kind="actor"} 3',
      'strongroom_queue_depth{role="encryptor"} 5',
      'strongroom_in_flight{role="encryptor"} 7',
      'strongroom_actors{role="encryptor"} 2',
      "# TYPE strongroom_requests_total counter",
      'strongroom_requests_total{role="encryptor",op="store",outcome="ok"} 2',
      'strongroom_requests_total{role="encryptor",op="other",outcome="NOT_FOUND"} 1',
      "# TYPE strongroom_request_duration_seconds histogram",
      'strongroom_request_duration_seconds_bucket{role="encryptor",le="0.001"} 0',
      'strongroom_request_duration_seconds_bucket{role="encryptor",le="0.005"} 1',
      'strongroom_request_duration_seconds_bucket{role="encryptor",le="0.25"} 2',
      'strongroom_request_duration_seconds_bucket{role="encryptor",le="10"} 2',
      'strongroom_request_duration_seconds_bucket{role="encryptor",le="+Inf"} 3',
      'strongroom_request_duration_seconds_count{role="encryptor"} 3',
      "strongroom_uptime_seconds 12.5",
      "process_resident_memory_bytes 1000",
    ]) {
      assert.ok(text.split("\n").includes(line), `has line: ${line}`);
    }
    assert.ok(text.endsWith("\n"));
    assert.equal(text.match(/_bucket\{/g)?.length, LATENCY_BUCKETS.length + 1);
    const sum = /strongroom_request_duration_seconds_sum\{role="encryptor"\} (\S+)/.exec(text)?.[1];
    assert.ok(Math.abs(Number(sum) - 20.203) < 1e-9);
    assert.deepEqual(metrics.outcomes(), { ok: 2, NOT_FOUND: 1 });
  });

  it("gives an op a label of its own only once it is answered ok, so that junk ops cannot take the places of real ones", () => {
    const metrics = new Metrics();
    for (let i = 0; i < MAX_OPS_PER_ROLE + 50; i++) {
      metrics.record("echo", `junk${i}`, "BAD_REQUEST", 0);
      metrics.record("echo", `junk${i}`, "FORBIDDEN", 0);
    }
    metrics.record("echo", "echo", "TIMEOUT", 0); // before its first ok
    metrics.record("echo", "echo", "ok", 0);
    metrics.record("echo", "echo", "TIMEOUT", 0);
    const text = metrics.render({ ...GAUGES, roles: [] });
    const lines = text.split("\n").filter((line) => line.startsWith('strongroom_requests_total{role="echo"'));
    assert.deepEqual(lines.sort(), [
      'strongroom_requests_total{role="echo",op="echo",outcome="TIMEOUT"} 1',
      'strongroom_requests_total{role="echo",op="echo",outcome="ok"} 1',
      `strongroom_requests_total{role="echo",op="other",outcome="BAD_REQUEST"} ${MAX_OPS_PER_ROLE + 50}`,
      `strongroom_requests_total{role="echo",op="other",outcome="FORBIDDEN"} ${MAX_OPS_PER_ROLE + 50}`,
      'strongroom_requests_total{role="echo",op="other",outcome="TIMEOUT"} 1',
    ]);
  });

  it("keeps op labels bounded per role and escapes label values", () => {
    const metrics = new Metrics();
    for (let i = 0; i < MAX_OPS_PER_ROLE + 50; i++) metrics.record("echo", `op${i}`, "ok", 0);
    metrics.record("echo", "op0", "BAD_REQUEST", 0);
    metrics.record('we"ird\\\nrole', "x", "ok", 0);
    const text = metrics.render({ ...GAUGES, roles: [] });
    const ops = new Set([...text.matchAll(/strongroom_requests_total\{role="echo",op="([^"]+)"/g)].map((m) => m[1]));
    assert.equal(ops.size, MAX_OPS_PER_ROLE + 1);
    assert.ok(ops.has("other"));
    assert.match(text, /strongroom_requests_total\{role="echo",op="other",outcome="ok"\} 50/);
    assert.match(text, /strongroom_requests_total\{role="echo",op="op0",outcome="BAD_REQUEST"\} 1/);
    assert.match(text, /role="we\\"ird\\\\\\nrole"/);
  });
});
