/**
 * The broker's routing table: actors by role, and every request in flight
 * from its caller to the actor serving it and back.
 *
 * @module
 */
import { type Code, type CorrelationId, type Err, errFrame, type Req, type Res } from "../protocol/mod.ts";
import type { Peer, Route } from "./peer.ts";

/** Options of {@link Router}. */
export interface RouterOptions {
  /** Roles that clients may call; actors may call any role. */
  publicRoles: readonly string[];
  /** Most requests one connection may have in flight. */
  maxInFlight: number;
  /** Time budget of a request that carries no `ttl`, in ms. */
  defaultTimeout: number;
}

/** Routes requests to actors and answers back to callers. */
export class Router {
  #options: RouterOptions;
  #actors = new Map<string, Set<Peer>>();
  #routes = new Map<number, Route>();
  #nextKey = 1;

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  /** Requests in flight through the broker. */
  get inFlight(): number {
    return this.#routes.size;
  }

  /**
   * Adds an actor to the registry of its role.
   *
   * @param actor An authenticated actor.
   */
  register(actor: Peer): void {
    const role = actor.role!;
    let set = this.#actors.get(role);
    if (!set) this.#actors.set(role, (set = new Set()));
    set.add(actor);
  }

  /**
   * Handles a request from a client or an actor.
   *
   * @param caller The peer that sent it.
   * @param req The request.
   */
  request(caller: Peer, req: Req): void {
    const reject = (code: Code, message: string) => caller.send(errFrame(req.id, code, message));
    if (caller.calls.has(req.id)) {
      return reject("BAD_REQUEST", `Cannot accept request: correlation id ${JSON.stringify(req.id)} is already in flight`);
    }
    if (caller.calls.size >= this.#options.maxInFlight) {
      return reject("OVERLOADED", `Cannot accept request: ${this.#options.maxInFlight} requests already in flight on this connection`);
    }
    if (caller.kind !== "actor" && !this.#options.publicRoles.includes(req.to)) {
      return reject("FORBIDDEN", `Cannot route request: role "${req.to}" is internal`);
    }
    const ttl = req.ttl ?? this.#options.defaultTimeout;
    if (ttl <= 0) return reject("TIMEOUT", "Cannot route request: its time budget ran out before it arrived");
    const actor = this.#pick(req.to);
    if (!actor) return reject("NO_ROUTE", `Cannot route request: no actor registered for "${req.to}"`);

    const key = this.#nextKey++;
    const route: Route = { key, caller, callerId: req.id, role: req.to, op: req.op, actor, timer: undefined };
    route.timer = setTimeout(() => {
      this.#finish(route, errFrame(route.callerId, "TIMEOUT", `Request "${route.op}" to "${route.role}" ran out of time`));
      actor.send({ t: "cancel", id: key });
    }, ttl);
    this.#routes.set(key, route);
    caller.calls.set(req.id, route);
    actor.serving.set(key, route);
    actor.send({ t: "req", id: key, to: req.to, op: req.op, body: req.body, ttl, tenant: caller.tenant });
  }

  /**
   * Handles an answer from an actor: passes it to the caller under the caller's id.
   *
   * @param actor The actor that answered.
   * @param reply Its `res` or `err`.
   */
  reply(actor: Peer, reply: Res | Err): void {
    const route = typeof reply.id === "number" ? actor.serving.get(reply.id) : undefined;
    // A late answer to a request that timed out or was cancelled has no route left.
    if (!route) return;
    this.#finish(route, { ...reply, id: route.callerId });
  }

  /**
   * Handles a caller giving up on a request.
   *
   * @param caller The peer that sent the `cancel`.
   * @param id The caller's correlation id.
   */
  cancel(caller: Peer, id: CorrelationId): void {
    const route = caller.calls.get(id);
    if (!route) return;
    this.#finish(route, errFrame(id, "CANCELLED", `Request "${route.op}" to "${route.role}" was cancelled`));
    route.actor.send({ t: "cancel", id: route.key });
  }

  /**
   * Stops routing new requests to an actor.
   *
   * @param actor The actor that sent `drain`.
   */
  drain(actor: Peer): void {
    actor.draining = true;
  }

  /**
   * Forgets a closed peer: requests it was serving fail with `UNAVAILABLE`,
   * requests it made are cancelled at their actors.
   *
   * @param peer The peer whose connection closed.
   */
  closed(peer: Peer): void {
    if (peer.role) this.#actors.get(peer.role)?.delete(peer);
    for (const route of [...peer.serving.values()]) {
      this.#finish(route, errFrame(route.callerId, "UNAVAILABLE", `Actor serving "${route.role}" went away with the request in flight`));
    }
    for (const route of [...peer.calls.values()]) {
      this.#finish(route, undefined);
      route.actor.send({ t: "cancel", id: route.key });
    }
  }

  #pick(role: string): Peer | undefined {
    let best: Peer | undefined;
    for (const actor of this.#actors.get(role) ?? []) {
      if (actor.draining || !actor.open) continue;
      if (!best || actor.serving.size < best.serving.size) best = actor;
    }
    return best;
  }

  #finish(route: Route, answer: Res | Err | undefined): void {
    if (this.#routes.get(route.key) !== route) return;
    this.#routes.delete(route.key);
    clearTimeout(route.timer);
    route.caller.calls.delete(route.callerId);
    route.actor.serving.delete(route.key);
    if (answer) route.caller.send(answer);
  }
}

