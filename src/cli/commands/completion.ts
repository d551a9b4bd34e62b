/**
 * `strongroom completion bash|zsh|fish`: prints the shell completion script.
 *
 * @module
 */
import { completionScript, SHELLS, type Shell } from "../completion.ts";
import { UsageError } from "../errors.ts";
import { didYouMean } from "../suggest.ts";
import { writeOut } from "../with-client.ts";
import { defineCommand } from "./command.ts";
import { COMMANDS } from "./mod.ts";

/** The `completion` command. */
export const COMPLETION_COMMAND = defineCommand({
  name: "completion",
  args: ["<bash|zsh|fish>"],
  summary: "Print the shell completion script of bash, zsh or fish",
  settings: [],
  examples: [
    'eval "$(strongroom completion bash)"   # in ~/.bashrc',
    'source <(strongroom completion zsh)     # in ~/.zshrc, after compinit',
    "strongroom completion fish > ~/.config/fish/completions/strongroom.fish",
  ],
  async run({ args }) {
    const shell = args[0]!;
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`Unknown shell "${shell}"${didYouMean(shell, SHELLS)}: completion is made for ${SHELLS.join(", ")}`);
    await writeOut(completionScript(shell as Shell, COMMANDS));
  },
});
