#!/usr/bin/env node
// The `strongroom` executable on Node: teaches Node to load TypeScript, then runs the CLI.
import { register } from "tsx/esm/api";

register();
await import("./strongroom.ts");
