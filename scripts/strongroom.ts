/**
 * The `strongroom` command line (`scripts/bin.js` runs it on Node, Deno
 * runs it as it is).
 *
 * @module
 */
import { main } from "../src/cli/main.ts";

const status = await main(process.argv.slice(2));
// Long-running commands (parts, launcher) keep the process alive through their sockets and
// signal handlers; a failure ends the process at once, whatever handles are still open.
if (status !== 0) process.exit(status);
