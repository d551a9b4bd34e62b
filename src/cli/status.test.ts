import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatStatus } from "./status.ts";

const STATS = {
  uptime: 4000,
  connections: { clients: 1, actors: 3 },
  requests: { NOT_FOUND: 2, ok: 360, TIMEOUT: 1 },
  inFlight: 1,
  queued: 0,
  memory: { rss: 64 * 1024 * 1024, heapUsed: 10 },
};

describe("formatStatus()", () => {
  it("prints one row per actor under its role, numbers aligned right, then the broker's summary", () => {
    const text = formatStatus(
      {
        roles: [
          {
            role: "storage",
            queued: 0,
            actors: [{ id: "s", name: "storage-1200", concurrency: 64, inFlight: 1, served: 240, failed: 0, draining: true, uptime: 40 }],
          },
          {
            role: "encryptor",
            queued: 3,
            actors: [
              { id: "b", name: "encryptor-2", concurrency: 64, inFlight: 0, served: 60, failed: 2, draining: false, uptime: 35 },
              { id: "a", name: "encryptor-1", concurrency: 8, inFlight: 10, served: 1200, failed: 0, draining: false, uptime: 300 },
            ],
          },
          { role: "gone", queued: 0, actors: [] },
        ],
      },
      STATS,
    );
    assert.equal(
      text,
      [
        "ROLE       QUEUED  ACTOR         STATE     CONCURRENCY  IN FLIGHT  SERVED  FAILED   UP",
        "encryptor       3  encryptor-1   ready               8         10    1200       0   5m",
        "                   encryptor-2   ready              64          0      60       2  35s",
        "gone            0  -             none",
        "storage         0  storage-1200  draining           64          1     240       0  40s",
        "",
        "broker    up 66m, 1 client and 3 actors connected, 1 in flight, 0 queued, 64 MiB resident",
        "requests  ok 360, NOT_FOUND 2, TIMEOUT 1",
        "",
      ].join("\n"),
    );
  });

  it("says when no actor has registered and keeps control characters out of names", () => {
    assert.match(formatStatus({ roles: [] }, { ...STATS, requests: {} }), /^No actor has registered\.\n\nbroker .*\nrequests  none yet\n$/);
    const text = formatStatus({ roles: [{ role: "x", queued: 0, actors: [{ id: "i", name: "evil\u001b[2Jname", concurrency: 1, inFlight: 0, served: 0, failed: 0, draining: false, uptime: 1 }] }] }, STATS);
    assert.match(text, /evil\?\[2Jname/);
  });
});
