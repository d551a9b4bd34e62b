/**
 * Loads esbuild for the build scripts. With `--if-available` on the command
 * line (as `npm ci` runs them), a missing esbuild (an install without dev
 * dependencies) prints what that means and exits 0; otherwise it is an error.
 *
 * @module
 */

/**
 * @param whenMissing What a missing esbuild means for the user, for the notice.
 * @returns The esbuild module.
 */
export async function loadEsbuild(whenMissing: string): Promise<typeof import("esbuild")> {
  try {
    return await import("esbuild");
  } catch (error) {
    if (!process.argv.includes("--if-available")) throw error;
    process.stderr.write(`strongroom: esbuild is not installed, so ${whenMissing}\n`);
    process.exit(0);
  }
}
