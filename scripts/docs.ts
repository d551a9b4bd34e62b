/**
 * `npm run docs`: writes the tables that mirror the code (commands,
 * settings, exit statuses) into `docs/cli.md`, between their markers.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fillReference, renderReference } from "../src/cli/reference.ts";

const page = fileURLToPath(new URL("../docs/cli.md", import.meta.url));
writeFileSync(page, fillReference(readFileSync(page, "utf8"), renderReference()));
process.stdout.write(`strongroom: wrote the tables of ${page}\n`);
