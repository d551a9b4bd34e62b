/**
 * The help of the command line: the overview of its commands, and each
 * command's arguments, settings with their defaults and variables, and
 * examples. All of it is made from the commands and the settings table.
 *
 * @module
 */
import type { AnyCommand } from "./commands/mod.ts";
import { type SettingSpec, shownDefault } from "./setting.ts";
import { COMMON_SETTINGS, specOf } from "./setting-specs.ts";

/**
 * The overview: every command with its summary.
 *
 * @param commands The commands.
 * @returns The text.
 */
export function overview(commands: readonly AnyCommand[]): string {
  const usages = commands.map((c) => [c.name, ...c.args].join(" "));
  const width = Math.max(...usages.map((u) => u.length));
  return [
    "Usage: strongroom <command> [arguments] [settings]",
    "",
    "Commands:",
    ...commands.map((c, i) => `  ${usages[i]!.padEnd(width)}  ${c.summary}`),
    "",
    'Run "strongroom <command> --help" for its settings and examples, "strongroom --version" for the version.',
    "Settings come from flags, else STRONGROOM_* variables, else the config file, else defaults.",
    "",
  ].join("\n");
}

/**
 * The help of one command.
 *
 * @param command The command.
 * @returns The text.
 */
export function commandHelp(command: AnyCommand): string {
  const specs = [...command.settings, ...COMMON_SETTINGS].map(specOf);
  const flagged = specs.filter((s) => s.flag !== undefined);
  const labels = flagged.map(flagLabel);
  const width = Math.max(...labels.map((l) => l.length));
  const unflagged = specs.filter((s) => s.flag === undefined && s.env !== undefined);
  const envWidth = Math.max(0, ...unflagged.map((s) => s.env!.length));
  return [
    `Usage: strongroom ${[command.name, ...command.args].join(" ")} [settings]`,
    "",
    `${command.summary}.`,
    ...(command.notes ?? []).flatMap((note) => ["", note]),
    "",
    "Settings:",
    ...flagged.map((s, i) => `  ${labels[i]!.padEnd(width)}  ${describe(s)}`),
    ...(unflagged.length > 0
      ? ["", "From the environment:", ...unflagged.map((s) => `  ${s.env!.padEnd(envWidth)}  ${describe(s, false)}`)]
      : []),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

/**
 * How help shows a setting's flag: `-h, --help`, `--port N`.
 *
 * @param spec The setting.
 * @returns The label.
 */
export function flagLabel(spec: SettingSpec): string {
  const long = `--${spec.flag}${spec.boolean ? "" : ` ${spec.placeholder ?? "VALUE"}`}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

// The summary, then the default and the variable (or, for a setting without a flag, its config file key) in brackets.
function describe(spec: SettingSpec, withEnv = true): string {
  const shown = shownDefault(spec);
  const source = withEnv ? spec.env : spec.file ? `"${spec.name}" in the config file` : undefined;
  const extras = [shown === undefined ? undefined : `default: ${shown}`, source].filter(Boolean);
  return extras.length > 0 ? `${spec.summary} [${extras.join("; ")}]` : spec.summary;
}
