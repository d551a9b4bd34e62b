/**
 * Who a peer is, from its `hello`: an actor proving itself with the actor
 * secret, or a client with a token (or none, where that is allowed).
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ForbiddenError, type Hello, UnauthenticatedError } from "../protocol/wire/mod.ts";

/** The identity of an accepted peer. */
export type Identity = { kind: "actor"; role: string } | { kind: "client"; tenant: string };

/** Checks hellos against the actor secret and the client tokens. */
export class Authenticator {
  #secretDigest: Buffer;
  #tenants = new Map<string, string>();
  #allowAnonymous: boolean;

  /**
   * @param actorSecret The secret actors present as their token.
   * @param tokens Client tokens and the tenant each maps to.
   * @param allowAnonymous Whether a client without a token is accepted (tenant `""`).
   */
  constructor(actorSecret: string, tokens: Readonly<Record<string, string>>, allowAnonymous: boolean) {
    this.#secretDigest = digest(actorSecret);
    // Tokens are looked up by digest so that lookup time says nothing about a guess.
    for (const [token, tenant] of Object.entries(tokens)) this.#tenants.set(digest(token).toString("hex"), tenant);
    this.#allowAnonymous = allowAnonymous;
  }

  /**
   * Decides who a peer is.
   *
   * @param hello The peer's first frame.
   * @returns The identity.
   * @throws {ForbiddenError} When a peer asks for a role without the actor secret, or for a reserved role.
   * @throws {UnauthenticatedError} When a client's token is unknown, or missing where one is required.
   */
  identify(hello: Hello): Identity {
    if (hello.role !== undefined) {
      if (hello.token === undefined || !timingSafeEqual(digest(hello.token), this.#secretDigest)) {
        throw new ForbiddenError(`Cannot register role "${hello.role}": the actor secret is missing or wrong`);
      }
      if (hello.role.startsWith("$")) {
        throw new ForbiddenError(`Cannot register role "${hello.role}": roles starting with "$" belong to the broker`);
      }
      return { kind: "actor", role: hello.role };
    }
    if (hello.token !== undefined) {
      const tenant = this.#tenants.get(digest(hello.token).toString("hex"));
      if (tenant === undefined) throw new UnauthenticatedError("Cannot accept client: unknown token");
      return { kind: "client", tenant };
    }
    if (!this.#allowAnonymous) throw new UnauthenticatedError("Cannot accept client: a token is required");
    return { kind: "client", tenant: "" };
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
