/**
 * The tables of `docs/cli.md` that mirror the code: the commands, every
 * setting with its flag, variable, default and the commands that read it,
 * and the exit statuses. `npm run docs` writes them into the page between
 * its markers; a test fails when the page and the code disagree.
 *
 * @module
 */
import { type AnyCommand, COMMANDS } from "./commands/mod.ts";
import { EXIT_CODES, EXIT_STATUS_MEANINGS, type ExitName } from "./exit-codes.ts";
import { flagLabel } from "./help.ts";
import { shownDefault } from "./setting.ts";
import { COMMON_SETTINGS, SETTING_SPECS } from "./setting-specs.ts";

/** The generated sections of `docs/cli.md`, by the name in their markers. */
export type ReferenceSections = Readonly<Record<"commands" | "settings" | "exit-statuses", string>>;

/**
 * Renders the tables.
 *
 * @param commands The commands. @default COMMANDS
 * @returns Each section's Markdown.
 */
export function renderReference(commands: readonly AnyCommand[] = COMMANDS): ReferenceSections {
  const readers = (name: string) =>
    (COMMON_SETTINGS as readonly string[]).includes(name) ? "every command" : commands.filter((c) => (c.settings as readonly string[]).includes(name)).map((c) => `\`${c.name}\``).join(", ");
  return {
    commands: table(
      ["Command", "What it does"],
      commands.map((c) => [`\`strongroom ${[c.name, ...c.args].join(" ")}\``, `${c.summary}.`]),
    ),
    settings: table(
      ["Setting (config key)", "Flag", "Variable", "Default", "Read by", "What it is"],
      SETTING_SPECS.map((s) => [
        s.file ? `\`${s.name}\`` : `${s.name} (not in the file)`,
        s.flag ? `\`${flagLabel(s)}\`` : "",
        s.env ? `\`${s.env}\`` : "",
        shownDefault(s) ?? "",
        readers(s.name),
        s.summary,
      ]),
    ),
    "exit-statuses": table(
      ["Status", "Name", "Meaning"],
      (Object.entries(EXIT_CODES) as [ExitName, number][]).sort((a, b) => a[1] - b[1]).map(([name, status]) => [String(status), `\`${name}\``, EXIT_STATUS_MEANINGS[name]]),
    ),
  };
}

/**
 * Puts the sections into a page between their markers,
 * `<!-- generated: NAME -->` and `<!-- end: NAME -->`.
 *
 * @param page The page's text.
 * @param sections The sections.
 * @returns The page with each section replaced.
 * @throws {Error} When a marker is missing.
 */
export function fillReference(page: string, sections: ReferenceSections): string {
  let text = page;
  for (const [name, body] of Object.entries(sections)) {
    const begin = `<!-- generated: ${name} (npm run docs) -->`;
    const end = `<!-- end: ${name} -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`The page has no markers for the section "${name}": ${begin} … ${end}`);
    text = `${text.slice(0, from + begin.length)}\n${body}${text.slice(to)}`;
  }
  return text;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n") + "\n";
}
