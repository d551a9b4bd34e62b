/**
 * The actor runtime shared by the encryptor and storage actors.
 *
 * @example Serving a role
 * ```ts
 * import { startActor } from "./mod.ts";
 * await startActor({ url: "ws://127.0.0.1:7070", role: "echo", secret: "s", handlers: { echo: ({ body }) => body } });
 * ```
 *
 * @module
 */
export { type Actor, type ActorContext, type ActorOptions, DEFAULT_DRAIN_TIMEOUT_MS, type Handler, startActor } from "./actor.ts";
export { StreamAnswer, streamAnswer } from "./stream-answer.ts";
