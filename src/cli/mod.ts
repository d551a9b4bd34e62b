/**
 * The pieces of the `strongroom` command line: its entry, its commands,
 * settings and exit statuses, and the process plumbing that tests and the
 * benchmark use to start parts.
 *
 * @example Reading the settings of a command
 * ```ts
 * import { COMMANDS, readSettings } from "./mod.ts";
 * const store = COMMANDS.find((command) => command.name === "store")!;
 * const { settings } = readSettings(store, ["--url", "ws://127.0.0.1:7071"], { STRONGROOM_CONFIG: "" });
 * settings.url; // "ws://127.0.0.1:7071"
 * ```
 *
 * @module
 */
export { consoleLogger, isLogLevel, LOG_LEVELS, type LogLevel } from "./console-logger.ts";
export { PartExitError } from "./child.ts";
export { type Command, type CommandInput, COMMANDS, defineCommand } from "./commands/mod.ts";
export { UsageError } from "./errors.ts";
export { EXIT_CODES, EXIT_STATUS_MEANINGS, type ExitName } from "./exit-codes.ts";
export { main } from "./main.ts";
export { onShutdown, selfCommand, watchParent } from "./process.ts";
export { brokerUrl, READY_PREFIX } from "./ready-line.ts";
export { type SettingSpec } from "./setting.ts";
export { type SettingName, SETTING_SPECS, SETTINGS, type Settings } from "./setting-specs.ts";
export { DEFAULT_CONFIG_FILE, readSettings, settingsEnvironment } from "./settings.ts";
