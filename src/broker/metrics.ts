/**
 * The broker's counters and latency histogram, and their rendering in the
 * Prometheus text format for `GET /metrics`.
 *
 * Labels come from what peers send, so each is bounded: roles are those
 * the router knows, and each role keeps at most {@link MAX_OPS_PER_ROLE}
 * op names, each from the first time a request of it is answered ok, so
 * that requests for ops nobody serves cannot take the places of real ones;
 * other requests count as op `other`. Nothing else from a request (ids,
 * keys, bodies) is ever a label.
 *
 * @module
 */

/** Op names kept as labels per role, each once answered ok; other requests count as op `other`. */
export const MAX_OPS_PER_ROLE = 32;

/** Upper bounds of the latency histogram's buckets, in seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Values measured at the moment of a scrape. */
export interface Gauges {
  /** Open connections by kind. */
  connections: { client: number; actor: number };
  /** Per role: actors, requests waiting, requests in flight at actors. */
  roles: { role: string; actors: number; queued: number; inFlight: number }[];
  /** Seconds since the broker started. */
  uptime: number;
  /** Resident memory of the process, in bytes. */
  rss: number;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/** Frames and the messages they carried, each way: how well sends are coalesced. */
export interface FrameCounts {
  framesIn: number;
  messagesIn: number;
  framesOut: number;
  messagesOut: number;
}

/** Counts answers by role, op and outcome, and their latency by role. */
export class Metrics {
  /** Frames and messages received and sent; the links and peers add to them. */
  readonly frames: FrameCounts = { framesIn: 0, messagesIn: 0, framesOut: 0, messagesOut: 0 };
  #requests = new Map<string, Map<string, Map<string, number>>>();
  #outcomes = new Map<string, number>();
  #latency = new Map<string, Histogram>();
  #ops = new Map<string, Set<string>>();

  /**
   * Records one answered request.
   *
   * @param role A role the broker knows, or `other`.
   * @param op The op the caller named; counted under its own name once answered ok.
   * @param outcome `ok` or an error code.
   * @param seconds Time from arrival to answer.
   */
  record(role: string, op: string, outcome: string, seconds: number): void {
    // Nested maps rather than one key joined per answer: this runs for every request.
    let ops = this.#requests.get(role);
    if (!ops) this.#requests.set(role, (ops = new Map()));
    const label = this.#opLabel(role, op, outcome);
    let outcomes = ops.get(label);
    if (!outcomes) ops.set(label, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);
    let histogram = this.#latency.get(role);
    if (!histogram) this.#latency.set(role, (histogram = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        histogram.buckets[i]!++;
        break;
      }
    }
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Requests answered since the start, by outcome. */
  outcomes(): Record<string, number> {
    return Object.fromEntries(this.#outcomes);
  }

  /**
   * Renders everything in the Prometheus text exposition format (0.0.4).
   *
   * @param gauges Values measured now.
   * @returns The body of `GET /metrics`.
   */
  render(gauges: Gauges): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family("strongroom_connections", "gauge", "Open connections after their hello, by kind.");
    for (const [kind, count] of Object.entries(gauges.connections)) lines.push(`strongroom_connections${labels({ kind })} ${count}`);

    family("strongroom_actors", "gauge", "Actors registered, by role.");
    for (const r of gauges.roles) lines.push(`strongroom_actors${labels({ role: r.role })} ${r.actors}`);
    family("strongroom_queue_depth", "gauge", "Requests waiting for a free actor, by role.");
    for (const r of gauges.roles) lines.push(`strongroom_queue_depth${labels({ role: r.role })} ${r.queued}`);
    family("strongroom_in_flight", "gauge", "Requests delivered to actors and not answered yet, by role.");
    for (const r of gauges.roles) lines.push(`strongroom_in_flight${labels({ role: r.role })} ${r.inFlight}`);

    family("strongroom_requests_total", "counter", "Requests answered, by role, op and outcome (ok or an error code).");
    for (const [role, ops] of this.#requests) {
      for (const [op, outcomes] of ops) {
        for (const [outcome, count] of outcomes) lines.push(`strongroom_requests_total${labels({ role, op, outcome })} ${count}`);
      }
    }

    family("strongroom_request_duration_seconds", "histogram", "Time from a request's arrival at the broker to its answer, by role.");
    for (const [role, histogram] of this.#latency) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += histogram.buckets[i]!;
        lines.push(`strongroom_request_duration_seconds_bucket${labels({ role, le: String(bound) })} ${cumulative}`);
      });
      lines.push(`strongroom_request_duration_seconds_bucket${labels({ role, le: "+Inf" })} ${histogram.count}`);
      lines.push(`strongroom_request_duration_seconds_sum${labels({ role })} ${histogram.sum}`);
      lines.push(`strongroom_request_duration_seconds_count${labels({ role })} ${histogram.count}`);
    }

    family("strongroom_frames_total", "counter", "WebSocket frames, by direction (in: received, out: sent).");
    lines.push(`strongroom_frames_total${labels({ direction: "in" })} ${this.frames.framesIn}`);
    lines.push(`strongroom_frames_total${labels({ direction: "out" })} ${this.frames.framesOut}`);
    family("strongroom_messages_total", "counter", "Protocol messages the frames carried, by direction.");
    lines.push(`strongroom_messages_total${labels({ direction: "in" })} ${this.frames.messagesIn}`);
    lines.push(`strongroom_messages_total${labels({ direction: "out" })} ${this.frames.messagesOut}`);

    family("strongroom_uptime_seconds", "gauge", "Seconds since the broker started.");
    lines.push(`strongroom_uptime_seconds ${gauges.uptime}`);
    family("process_resident_memory_bytes", "gauge", "Resident memory of the broker process.");
    lines.push(`process_resident_memory_bytes ${gauges.rss}`);
    return `${lines.join("\n")}\n`;
  }

  #opLabel(role: string, op: string, outcome: string): string {
    let ops = this.#ops.get(role);
    if (!ops) this.#ops.set(role, (ops = new Set()));
    if (ops.has(op)) return op;
    // Any caller can name any op, even one it may not call; only one that was served is real.
    if (outcome !== "ok" || ops.size >= MAX_OPS_PER_ROLE) return "other";
    ops.add(op);
    return op;
  }
}

function labels(values: Record<string, string>): string {
  const parts = Object.entries(values).map(([name, value]) => `${name}="${value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}"`);
  return `{${parts.join(",")}}`;
}
