/**
 * Serves the page of `src/web/` at `/`, as `scripts/build-web.ts` built it
 * into `dist/web/`: the broker's HTTP side, next to `/healthz`. The page
 * then talks to the broker over WebSocket on the same origin.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";

/** Where `scripts/build-web.ts` writes the page. */
export const PAGE_DIR: URL = new URL("../../dist/web/", import.meta.url);

const FILES: Readonly<Record<string, { name: string; type: string }>> = {
  "/": { name: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { name: "app.js", type: "text/javascript; charset=utf-8" },
  "/page.css": { name: "page.css", type: "text/css; charset=utf-8" },
};

const HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // The page runs its own script only, talks only to the broker that served it, and is never framed.
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const NOT_BUILT = "The page is not built: run `npm run build:web` (npm ci does it) and reload\n";

/**
 * Answers a request for the page or one of its files, if it is one.
 *
 * @param request The HTTP request.
 * @param response Its response, ended here when the request is for the page.
 * @param dir Where the built page is. @default PAGE_DIR
 * @returns Whether the request was for the page (and is answered, now or soon).
 * @example In an HTTP server's handler
 * ```ts
 * import { createServer } from "node:http";
 * import { servePage } from "./page.ts";
 * createServer((request, response) => {
 *   if (!servePage(request, response)) response.writeHead(404).end();
 * });
 * ```
 */
export function servePage(request: IncomingMessage, response: ServerResponse, dir: URL = PAGE_DIR): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const file = Object.hasOwn(FILES, pathOf(request)) ? FILES[pathOf(request)] : undefined;
  if (!file) return false;
  readFile(new URL(file.name, dir)).then(
    (body) => {
      response.writeHead(200, { ...HEADERS, "content-type": file.type, "content-length": body.byteLength });
      response.end(request.method === "HEAD" ? undefined : body);
    },
    (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT";
      response.writeHead(missing ? 503 : 500, { ...HEADERS, "content-type": "text/plain; charset=utf-8" });
      response.end(missing ? NOT_BUILT : "Cannot read the page\n");
    },
  );
  return true;
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? "/", "http://broker").pathname;
  } catch {
    return "";
  }
}
