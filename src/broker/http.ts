/**
 * The plain HTTP side of the broker's port: a table from `"METHOD /path"`
 * to a handler, so that adding a page is one entry.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Answers one HTTP request. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Builds the request listener of the HTTP server from a route table.
 *
 * @param routes Handlers by `"METHOD /path"` (the query string is ignored).
 * @returns The listener: the matching handler, else 404 (or 405 when the path exists for another method).
 * @example Two routes
 * ```ts
 * import { httpRouter } from "./http.ts";
 * const listener = httpRouter({
 *   "GET /healthz": (_req, res) => res.end("ok\n"),
 *   "GET /": (_req, res) => res.end("<!doctype html>…"),
 * });
 * ```
 */
export function httpRouter(routes: Readonly<Record<string, HttpHandler>>): HttpHandler {
  return (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const handler = Object.hasOwn(routes, `${request.method} ${path}`) ? routes[`${request.method} ${path}`] : undefined;
    if (handler) return handler(request, response);
    const allowed = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
    response.writeHead(allowed ? 405 : 404, { "content-type": "text/plain; charset=utf-8" }).end(allowed ? "Method not allowed\n" : "Not found\n");
  };
}
