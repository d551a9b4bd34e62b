/**
 * The script of the page the broker serves at `/`, bundled for browsers by
 * `scripts/build-web.ts`.
 *
 * @module
 */
import { mountPage } from "./mod.ts";

mountPage(document);
