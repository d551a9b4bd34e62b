/**
 * The page the broker serves at `/`: store a text or a file and get its key,
 * retrieve or delete it with the id and the key. It runs in browsers, on the
 * same client library as programs (`src/client/`); `main.ts` is the script
 * the page loads, and `scripts/build-web.ts` bundles it.
 *
 * @example Wiring the page
 * ```ts ignore
 * import { mountPage } from "./mod.ts";
 * mountPage(document, { url: "ws://127.0.0.1:7070" });
 * ```
 *
 * @module
 */
export { mountPage, type PageOptions } from "./page.ts";
export { describeError, describePayload, type ErrorView, type PayloadView } from "./present.ts";
