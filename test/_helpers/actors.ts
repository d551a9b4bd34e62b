/**
 * What the broker says about the actors of a role, for tests that wait for
 * actors to come and go.
 *
 * @module
 */
import type { ActorReport, StrongroomClient } from "../../src/client/mod.ts";

/**
 * Asks the broker which actors serve a role.
 *
 * @param client A connected client.
 * @param role The role. @default "encryptor"
 * @returns Its actors, none when the role is unknown.
 */
export async function actorsOf(client: StrongroomClient, role = "encryptor"): Promise<ActorReport[]> {
  const { roles } = await client.actors();
  return roles.find((r) => r.role === role)?.actors ?? [];
}
