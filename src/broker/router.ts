/**
 * The broker's routing table: actors by role, every request from its
 * arrival to its answer, and the guarantee that each is answered exactly
 * once: by its actor, or by the broker (`NO_ROUTE`, `OVERLOADED`,
 * `TIMEOUT`, `CANCELLED`, `UNAVAILABLE`).
 *
 * @module
 */
// From node:timers, whose timers can be unref'd on Deno too (its global ones are numbers).
import { clearTimeout, setTimeout } from "node:timers";
import {
  asStrongroomError,
  BROKER_ROLE,
  encodeBody,
  type Code,
  type CorrelationId,
  type Credit,
  type Data,
  type Err,
  errFrame,
  MAX_CREDIT,
  type Req,
  type Res,
} from "../protocol/wire/mod.ts";
import type { Metrics } from "./metrics.ts";
import type { Peer } from "./peer.ts";
import { Role } from "./role.ts";
import type { Route } from "./route.ts";

/** Options of {@link Router}. */
export interface RouterOptions {
  /** Roles that clients may call; actors may call any role. */
  publicRoles: readonly string[];
  /** Most requests one connection may have in flight. */
  maxInFlight: number;
  /** Most requests waiting per role. */
  maxQueue: number;
  /** Most bytes of requests waiting per role. */
  maxQueueBytes: number;
  /** Time budget of a request that carries no `ttl`, in ms. */
  defaultTimeout: number;
  /**
   * Time after the start during which a request for a role without actors
   * waits for one instead of being answered `NO_ROUTE`, in ms.
   */
  warmup: number;
  /** Where answers are counted. */
  metrics: Metrics;
  /** Time a stream may go without a chunk or credit moving, once started, in ms. */
  streamIdle: number;
  /** Serves the ops of `$broker`; throws a `StrongroomError` to refuse. */
  serveBroker: (op: string, caller: Peer) => unknown;
}

/** Routes requests to actors and answers back to callers. */
export class Router {
  #options: RouterOptions;
  #roles = new Map<string, Role>();
  #nextKey = 1;
  #closing = false;
  #clientCalls = 0;
  #idle: (() => void)[] = [];
  #connections = { client: 0, actor: 0 };
  #warm = false;
  #warmTimer: ReturnType<typeof setTimeout> | undefined;

  /** @param options Limits, metrics and the `$broker` ops. */
  constructor(options: RouterOptions) {
    this.#options = options;
    // After a restart, clients may be back before the actors: give the actors time to register again.
    if (options.warmup > 0) this.#warmTimer = setTimeout(() => this.#warmedUp(), options.warmup).unref();
    else this.#warm = true;
  }

  /** Open connections by kind. */
  get connections(): { client: number; actor: number } {
    return { ...this.#connections };
  }

  /** Every role that ever had an actor. */
  roles(): Iterable<Role> {
    return this.#roles.values();
  }

  /**
   * Takes in a peer whose hello was accepted; an actor joins its role.
   *
   * @param peer The peer.
   */
  connected(peer: Peer): void {
    this.#connections[peer.kind]++;
    if (peer.kind !== "actor") return;
    const role = this.#role(peer.role!);
    role.actors.add(peer);
    this.#pump(role);
  }

  /**
   * Handles a request from a client or an actor.
   *
   * @param caller The peer that sent it.
   * @param req The request.
   * @param size Bytes of the frame it came in.
   */
  request(caller: Peer, req: Req, size: number): void {
    const start = performance.now();
    if (caller.calls.has(req.id)) {
      return this.#refuse(caller, req, "BAD_REQUEST", `Cannot accept request: correlation id ${JSON.stringify(req.id)} is already in flight`);
    }
    if (this.#closing && caller.kind === "client") return this.#refuse(caller, req, "UNAVAILABLE", "Cannot accept request: the broker is shutting down");
    if (caller.calls.size >= this.#options.maxInFlight) {
      return this.#refuse(caller, req, "OVERLOADED", `Cannot accept request: ${this.#options.maxInFlight} requests already in flight on this connection`);
    }
    if (caller.kind !== "actor" && req.to !== BROKER_ROLE && !this.#options.publicRoles.includes(req.to)) {
      return this.#refuse(caller, req, "FORBIDDEN", `Cannot route request: role "${req.to}" is internal`);
    }
    const ttl = req.ttl ?? this.#options.defaultTimeout;
    if (ttl <= 0) return this.#refuse(caller, req, "TIMEOUT", "Cannot route request: its time budget ran out before it arrived");
    if (req.to === BROKER_ROLE) return this.#serveBroker(caller, req);
    if (this.#warm && !this.#roles.get(req.to)?.actors.size) {
      return this.#refuse(caller, req, "NO_ROUTE", `Cannot route request: no actor registered for "${req.to}"`);
    }
    const role = this.#role(req.to);
    const actor = role.pick();
    if (!actor && (role.queue.size >= this.#options.maxQueue || role.queuedBytes + size > this.#options.maxQueueBytes)) {
      return this.#refuse(caller, req, "OVERLOADED", `Cannot route request: every actor of "${req.to}" is busy and its queue is full`);
    }
    const route: Route = {
      caller,
      callerId: req.id,
      role: req.to,
      op: req.op,
      tenant: caller.tenant,
      deadline: start + ttl,
      start,
      size,
      body: req.body,
      key: 0,
      actor: undefined,
      answered: false,
      timer: undefined,
      upload: req.stream === true,
      downloading: false,
      moved: 0,
      uploadCredit: 0,
      downloadCredit: 0,
    };
    caller.calls.set(req.id, route);
    if (caller.kind === "client") this.#clientCalls++;
    route.timer = setTimeout(() => this.#expire(route), ttl);
    if (actor) this.#deliver(route, actor);
    else role.enqueue(route);
  }

  /**
   * Answers a request the broker could not even read past its id.
   *
   * @param caller The peer that sent it.
   * @param id Its correlation id.
   * @param code `BAD_REQUEST` or `TOO_LARGE`.
   * @param message What was wrong.
   */
  refuse(caller: Peer, id: CorrelationId, code: Code, message: string): void {
    caller.send(errFrame(id, code, message));
    this.#options.metrics.record("other", "other", code, 0);
  }

  /**
   * Handles an answer from an actor: passes it to the caller under the
   * caller's id (unless the broker answered it already) and frees the slot.
   *
   * @param actor The actor that answered.
   * @param reply Its `res` or `err`.
   */
  reply(actor: Peer, reply: Res | Err): void {
    const route = typeof reply.id === "number" ? actor.serving.get(reply.id) : undefined;
    if (!route) return;
    if (reply.t === "res" && reply.stream && !route.downloading) {
      // The answer goes on as chunks: the caller has its result, the route stays for the rest.
      route.downloading = true;
      route.moved = performance.now();
      if (!route.answered) route.caller.send({ ...reply, id: route.callerId });
      return;
    }
    actor.serving.delete(route.key);
    if (reply.t === "res") actor.served++;
    else actor.failed++;
    this.#answer(route, { ...reply, id: route.callerId });
    this.#released(actor);
  }

  /**
   * Passes on one chunk of a stream: from a caller to the actor serving its
   * upload, or from an actor to the caller of its download. A chunk without
   * credit from its receiver breaks the stream's rules and ends the stream.
   *
   * @param peer The peer that sent it.
   * @param data The chunk.
   */
  data(peer: Peer, data: Data): void {
    if (data.back) {
      const route = typeof data.id === "number" ? peer.serving.get(data.id) : undefined;
      if (!route || !route.downloading || route.answered) return;
      if (route.downloadCredit <= 0) return this.#broken(route, `Actor serving "${route.role}" sent a chunk the caller gave no credit for`);
      route.downloadCredit--;
      route.moved = performance.now();
      route.caller.send({ t: "data", id: route.callerId, seq: data.seq, chunk: data.chunk, end: data.end, back: true });
      if (!data.end) return;
      peer.serving.delete(route.key);
      peer.served++;
      this.#answer(route, undefined);
      this.#released(peer);
      return;
    }
    const route = peer.calls.get(data.id);
    if (!route || route.answered || !route.actor) return;
    if (!route.upload || route.uploadCredit <= 0) {
      return this.#broken(route, `Request "${route.op}" sent a chunk the actor gave no credit for`, "BAD_REQUEST");
    }
    route.uploadCredit--;
    route.moved = performance.now();
    route.actor.send({ t: "data", id: route.key, seq: data.seq, chunk: data.chunk, end: data.end });
  }

  /**
   * Passes on credit of a stream: from an actor to the caller of its upload,
   * or from a caller to the actor of its download (held until the request is
   * delivered).
   *
   * @param peer The peer that sent it.
   * @param credit The credit.
   */
  credit(peer: Peer, credit: Credit): void {
    if (credit.back) {
      const route = typeof credit.id === "number" ? peer.serving.get(credit.id) : undefined;
      if (!route || !route.upload || route.answered) return;
      route.uploadCredit = Math.min(MAX_CREDIT, route.uploadCredit + credit.n);
      route.moved = performance.now();
      route.caller.send({ t: "credit", id: route.callerId, n: credit.n, back: true });
      return;
    }
    const route = peer.calls.get(credit.id);
    if (!route || route.answered) return;
    route.downloadCredit = Math.min(MAX_CREDIT, route.downloadCredit + credit.n);
    if (!route.actor) return;
    route.moved = performance.now();
    route.actor.send({ t: "credit", id: route.key, n: credit.n });
  }

  // A stream whose rules were broken ends for both sides: the caller is told why, the actor cancelled.
  #broken(route: Route, message: string, code: Code = "INTERNAL"): void {
    this.#answer(route, errFrame(route.callerId, code, message));
    if (route.actor) route.actor.send({ t: "cancel", id: route.key });
  }

  /**
   * Handles a caller giving up on a request: answers it `CANCELLED` (or
   * `TIMEOUT` when the caller's time ran out), drops it from the queue or
   * passes the cancel on to its actor.
   *
   * @param caller The peer that sent the `cancel`.
   * @param id The caller's correlation id.
   * @param code Why the caller gave up. @default "CANCELLED"
   */
  cancel(caller: Peer, id: CorrelationId, code: "TIMEOUT" | "CANCELLED" = "CANCELLED"): void {
    const route = caller.calls.get(id);
    if (!route) return;
    if (code === "TIMEOUT") return this.#expire(route);
    this.#answer(route, errFrame(id, "CANCELLED", `Request "${route.op}" to "${route.role}" was cancelled`));
    if (route.actor) route.actor.send({ t: "cancel", id: route.key });
  }

  /**
   * Stops routing new requests to an actor; once it has answered all it
   * holds, its connection is closed (1000), which tells it that it is drained.
   *
   * @param actor The actor that sent `drain`.
   */
  drain(actor: Peer): void {
    actor.draining = true;
    actor.log.info("Actor draining", { role: actor.role, inFlight: actor.serving.size });
    this.#released(actor);
  }

  /**
   * Delivers waiting requests of an actor's role, now that it may take more.
   *
   * @param actor An actor whose send buffer emptied.
   */
  writable(actor: Peer): void {
    const role = this.#roles.get(actor.role!);
    if (role && role.queue.size > 0) this.#pump(role);
  }

  /**
   * Forgets a closed peer: requests it was serving fail with `UNAVAILABLE`
   * (and, if it was its role's last actor, the role's queue with `NO_ROUTE`);
   * requests it made are dropped or cancelled at their actors.
   *
   * @param peer The peer whose connection closed.
   */
  closed(peer: Peer): void {
    this.#connections[peer.kind]--;
    for (const route of [...peer.calls.values()]) {
      this.#answer(route, errFrame(route.callerId, "CANCELLED", "Caller went away"));
      if (route.actor) route.actor.send({ t: "cancel", id: route.key });
    }
    if (peer.kind !== "actor") return;
    const role = this.#role(peer.role!);
    role.actors.delete(peer);
    for (const route of peer.serving.values()) {
      this.#answer(route, errFrame(route.callerId, "UNAVAILABLE", `Actor serving "${route.role}" went away with the request in flight`));
    }
    peer.serving.clear();
    if (role.actors.size === 0 && this.#warm) this.#noRoute(role, `Cannot route request: the last actor of "${role.name}" went away`);
  }

  /** Refuses new requests from clients from now on; requests of actors still pass. */
  shutdown(): void {
    this.#closing = true;
    clearTimeout(this.#warmTimer);
  }

  /** Resolves once no request of a client waits for its answer. */
  whenIdle(): Promise<void> {
    if (this.#clientCalls === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Answers every request still waiting with `UNAVAILABLE`.
   *
   * @param message Why.
   */
  failAll(message: string): void {
    for (const role of this.#roles.values()) {
      for (const route of [...role.queue]) this.#answer(route, errFrame(route.callerId, "UNAVAILABLE", message));
      for (const actor of role.actors) {
        for (const route of actor.serving.values()) this.#answer(route, errFrame(route.callerId, "UNAVAILABLE", message));
      }
    }
  }

  // A method, not a closure made per request: under load every closure made costs.
  #refuse(caller: Peer, req: Req, code: Code, message: string): void {
    caller.send(errFrame(req.id, code, message));
    this.#options.metrics.record(this.#label(req.to), req.op, code, 0);
  }

  #serveBroker(caller: Peer, req: Req): void {
    let answer: Res | Err;
    try {
      answer = { t: "res", id: req.id, body: encodeBody(this.#options.serveBroker(req.op, caller)) };
    } catch (error) {
      const failure = asStrongroomError(error);
      answer = errFrame(req.id, failure.code, failure.message);
    }
    caller.send(answer);
    this.#options.metrics.record(BROKER_ROLE, req.op, answer.t === "res" ? "ok" : answer.code, 0);
  }

  #deliver(route: Route, actor: Peer): void {
    const ttl = Math.floor(route.deadline - performance.now());
    // An expired request is never delivered, even if its timer has not fired yet.
    if (ttl <= 0) return this.#expire(route);
    route.key = this.#nextKey++;
    route.actor = actor;
    actor.serving.set(route.key, route);
    const body = route.body!;
    route.body = undefined;
    actor.send({ t: "req", id: route.key, to: route.role, op: route.op, body, ttl, tenant: route.tenant, stream: route.upload || undefined });
    // Credit the caller granted for a streamed answer before there was an actor to pass it to.
    if (route.downloadCredit > 0) actor.send({ t: "credit", id: route.key, n: route.downloadCredit });
  }

  #expire(route: Route): void {
    // A stream's budget covers the time to its first chunk or credit; then it times out only when
    // nothing moved for the idle time.
    if (route.moved > 0) {
      const left = route.moved + this.#options.streamIdle - performance.now();
      if (left > 0) {
        route.timer = setTimeout(() => this.#expire(route), left);
        return;
      }
      this.#answer(route, errFrame(route.callerId, "TIMEOUT", `Stream of "${route.op}" to "${route.role}" moved nothing for ${this.#options.streamIdle} ms`));
    } else {
      this.#answer(route, errFrame(route.callerId, "TIMEOUT", `Request "${route.op}" to "${route.role}" ran out of time`));
    }
    if (route.actor) route.actor.send({ t: "cancel", id: route.key, code: "TIMEOUT" });
  }

  // Answers the caller once: with `answer`, or with nothing more for a stream that ended with its last chunk.
  #answer(route: Route, answer: Res | Err | undefined): void {
    if (route.answered) return;
    route.answered = true;
    clearTimeout(route.timer);
    route.body = undefined;
    route.caller.calls.delete(route.callerId);
    if (!route.actor) this.#roles.get(route.role)?.remove(route);
    if (answer) route.caller.send(answer);
    this.#options.metrics.record(route.role, route.op, !answer || answer.t === "res" ? "ok" : answer.code, (performance.now() - route.start) / 1000);
    if (route.caller.kind === "client" && --this.#clientCalls === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #warmedUp(): void {
    this.#warm = true;
    for (const role of this.#roles.values()) {
      if (role.actors.size === 0) this.#noRoute(role, `Cannot route request: no actor registered for "${role.name}"`);
    }
  }

  #noRoute(role: Role, message: string): void {
    for (const route of [...role.queue]) this.#answer(route, errFrame(route.callerId, "NO_ROUTE", message));
  }

  #released(actor: Peer): void {
    if (actor.draining) {
      if (actor.serving.size === 0) actor.close(1000, "Drained");
      return;
    }
    this.#pump(this.#role(actor.role!));
  }

  #pump(role: Role): void {
    while (role.queue.size > 0) {
      const actor = role.pick();
      if (!actor) return;
      this.#deliver(role.shift()!, actor);
    }
  }

  #role(name: string): Role {
    let role = this.#roles.get(name);
    if (!role) this.#roles.set(name, (role = new Role(name)));
    return role;
  }

  // Role names come from peers; only those of registered roles become metric labels.
  #label(role: string): string {
    return role === BROKER_ROLE || this.#roles.has(role) ? role : "other";
  }
}
