/**
 * Shell completion scripts for bash, zsh and fish, made from the commands
 * and their settings: command names, each command's flags, the values of
 * flags that take files, directories, log levels, runtimes or saved
 * contexts, and the actions of `context`.
 *
 * @module
 */
import type { AnyCommand } from "./commands/mod.ts";
import { LOG_LEVELS } from "./console-logger.ts";
import { RUNTIMES } from "./runtime.ts";
import type { SettingSpec } from "./setting.ts";
import { COMMON_SETTINGS, specOf } from "./setting-specs.ts";

/** The shells there is a completion script for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A shell: `"bash"`, `"zsh"` or `"fish"`. */
export type Shell = (typeof SHELLS)[number];

/** What the value of a flag is completed from. */
type ValueKind = "file" | "dir" | "context" | "words" | "none";

interface Flag {
  readonly long: string;
  readonly short: string | undefined;
  readonly takesValue: boolean;
  readonly kind: ValueKind;
  readonly words: readonly string[];
  readonly summary: string;
}

/** Words the first argument of a command is completed from, besides files. */
const FIRST_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  context: ["save", "list", "show", "use", "remove"],
  completion: SHELLS,
};

// The context actions whose next argument is a saved context's name.
const NAMED_ACTIONS = ["show", "use", "remove"];

// Where the saved contexts are, in each shell's words.
const CONTEXTS_DIR_SH = '"${XDG_CONFIG_HOME:-$HOME/.config}/strongroom/contexts"';

function flagsOf(command: AnyCommand): Flag[] {
  return [...new Set([...command.settings, ...COMMON_SETTINGS])]
    .map((name) => specOf(name))
    .filter((spec): spec is SettingSpec & { flag: string } => spec.flag !== undefined)
    .map((spec) => {
      const kind: ValueKind = spec.boolean
        ? "none"
        : spec.name === "context"
          ? "context"
          : spec.name === "log" || spec.name === "runtime"
            ? "words"
            : spec.placeholder === "FILE"
              ? "file"
              : spec.placeholder === "DIR"
                ? "dir"
                : "none";
      const words = spec.name === "log" ? LOG_LEVELS : spec.name === "runtime" ? RUNTIMES : [];
      return { long: `--${spec.flag}`, short: spec.short && `-${spec.short}`, takesValue: !spec.boolean, kind, words, summary: spec.summary };
    });
}

/**
 * The completion script of a shell.
 *
 * @param shell The shell.
 * @param commands The commands.
 * @returns The script, to be sourced (bash, zsh) or put in fish's completions folder.
 */
export function completionScript(shell: Shell, commands: readonly AnyCommand[]): string {
  if (shell === "bash") return bashScript(commands);
  if (shell === "zsh") return zshScript(commands);
  return fishScript(commands);
}

function bashScript(commands: readonly AnyCommand[]): string {
  const valueCases = new Map<string, string>();
  for (const command of commands) {
    for (const flag of flagsOf(command)) {
      const reply =
        flag.kind === "file"
          ? 'COMPREPLY=($(compgen -f -- "$cur"))'
          : flag.kind === "dir"
            ? 'COMPREPLY=($(compgen -d -- "$cur"))'
            : flag.kind === "context"
              ? 'COMPREPLY=($(compgen -W "$(_strongroom_contexts)" -- "$cur"))'
              : flag.kind === "words"
                ? `COMPREPLY=($(compgen -W "${flag.words.join(" ")}" -- "$cur"))`
                : "COMPREPLY=()";
      if (flag.takesValue) for (const label of [flag.long, flag.short].filter(Boolean)) valueCases.set(label!, reply);
    }
  }
  const byReply = new Map<string, string[]>();
  for (const [label, reply] of valueCases) byReply.set(reply, [...(byReply.get(reply) ?? []), label]);
  return `# bash completion of strongroom: source it, or put it in ~/.local/share/bash-completion/completions/strongroom
_strongroom_contexts() {
  local dir=${CONTEXTS_DIR_SH} file
  for file in "$dir"/*.json; do [[ -e "$file" ]] && { file=\${file##*/}; printf '%s\\n' "\${file%.json}"; }; done
}
_strongroom() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if (( COMP_CWORD == 1 )); then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(" ")} --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
${[...byReply].map(([reply, labels]) => `    ${labels.join("|")}) ${reply}; return ;;`).join("\n")}
  esac
  local command="\${COMP_WORDS[1]}" flags=""
  case "$command" in
${commands.map((c) => `    ${c.name}) flags="${flagsOf(c).flatMap((f) => [f.long, f.short].filter(Boolean)).join(" ")}" ;;`).join("\n")}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  local i positional=0 word
  for (( i = 2; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == -* ]]; then
      [[ " $flags " == *" $word "* && -n "\${_strongroom_values[$word]}" ]] && (( i++ ))
    else
      (( positional++ ))
    fi
  done
  case "$command:$positional" in
${Object.entries(FIRST_ARGUMENTS).map(([name, words]) => `    ${name}:0) COMPREPLY=($(compgen -W "${words.join(" ")}" -- "$cur")) ;;`).join("\n")}
    context:1) [[ " ${NAMED_ACTIONS.join(" ")} " == *" \${COMP_WORDS[2]} "* ]] && COMPREPLY=($(compgen -W "$(_strongroom_contexts)" -- "$cur")) ;;
    store:1) COMPREPLY=($(compgen -f -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}
declare -gA _strongroom_values=(${[...valueCases.keys()].map((label) => `[${label}]=1`).join(" ")})
complete -F _strongroom strongroom
`;
}

// Text safe inside a zsh _arguments description: no brackets, colons or quotes.
function zshText(text: string): string {
  return text.replace(/[[\]]/g, "").replace(/:/g, "\\:").replace(/'/g, "").replace(/`/g, "");
}

function zshScript(commands: readonly AnyCommand[]): string {
  const action = (flag: Flag) =>
    flag.kind === "file"
      ? ":file:_files"
      : flag.kind === "dir"
        ? ":directory:_files -/"
        : flag.kind === "context"
          ? ":context:_strongroom_contexts"
          : flag.kind === "words"
            ? `:value:(${flag.words.join(" ")})`
            : flag.takesValue
              ? ":value: "
              : "";
  const specs = (command: AnyCommand) =>
    flagsOf(command).map((flag) => {
      const description = `[${zshText(flag.summary)}]${action(flag)}`;
      return flag.short ? `'(${flag.short} ${flag.long})'{${flag.short},${flag.long}}'${description}'` : `'${flag.long}${flag.takesValue ? "=" : ""}${description}'`;
    });
  const positionals = (command: AnyCommand) =>
    command.name === "store"
      ? ["':id: '", "'::file:_files'"]
      : command.name in FIRST_ARGUMENTS
        ? [`':${command.name === "context" ? "action" : "shell"}:(${FIRST_ARGUMENTS[command.name]!.join(" ")})'`, ...(command.name === "context" ? ["'::context:_strongroom_contexts'"] : [])]
        : command.args.map((arg) => `'${arg.startsWith("[") ? "::" : ":"}${zshText(arg.replace(/[<>[\]]/g, ""))}: '`);
  return `#compdef strongroom
# zsh completion of strongroom: put it in a folder of $fpath as _strongroom, or source it after compinit
_strongroom_contexts() {
  local -a names
  names=(${CONTEXTS_DIR_SH}/*.json(N:t:r))
  _describe 'context' names
}
_strongroom() {
  local -a commands
  commands=(
${commands.map((c) => `    '${c.name}:${zshText(c.summary)}'`).join("\n")}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${commands.map((c) => `    ${c.name}) _arguments -s ${[...specs(c), ...positionals(c)].join(" ")} ;;`).join("\n")}
  esac
}
compdef _strongroom strongroom
`;
}

// Text safe inside a fish single-quoted string.
function fishText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}

function fishScript(commands: readonly AnyCommand[]): string {
  const lines = [
    "# fish completion of strongroom: put it in ~/.config/fish/completions/strongroom.fish, or source it",
    "function __strongroom_contexts",
    `    set -l dir (set -q XDG_CONFIG_HOME; and echo $XDG_CONFIG_HOME; or echo $HOME/.config)/strongroom/contexts`,
    "    for file in $dir/*.json",
    "        basename $file .json",
    "    end",
    "end",
    "complete -c strongroom -f",
    `complete -c strongroom -n __fish_use_subcommand -l help -d 'show help'`,
    `complete -c strongroom -n __fish_use_subcommand -l version -d 'show the version'`,
    ...commands.map((c) => `complete -c strongroom -n __fish_use_subcommand -a ${c.name} -d '${fishText(c.summary)}'`),
  ];
  for (const command of commands) {
    const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
    for (const flag of flagsOf(command)) {
      const value =
        flag.kind === "file"
          ? " -r -F"
          : flag.kind === "dir"
            ? " -r -a '(__fish_complete_directories)'"
            : flag.kind === "context"
              ? " -x -a '(__strongroom_contexts)'"
              : flag.kind === "words"
                ? ` -x -a '${flag.words.join(" ")}'`
                : flag.takesValue
                  ? " -x"
                  : "";
      lines.push(`complete -c strongroom ${when} -l ${flag.long.slice(2)}${flag.short ? ` -s ${flag.short.slice(1)}` : ""}${value} -d '${fishText(flag.summary)}'`);
    }
    const first = FIRST_ARGUMENTS[command.name];
    if (first) lines.push(`complete -c strongroom ${when} -n 'not __fish_seen_subcommand_from ${first.join(" ")}' -a '${first.join(" ")}'`);
  }
  lines.push(`complete -c strongroom -n '__fish_seen_subcommand_from context; and __fish_seen_subcommand_from ${NAMED_ACTIONS.join(" ")}' -a '(__strongroom_contexts)'`);
  lines.push("complete -c strongroom -n '__fish_seen_subcommand_from store' -F");
  return `${lines.join("\n")}\n`;
}
