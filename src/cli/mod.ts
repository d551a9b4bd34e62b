/**
 * The pieces of the `strongroom` command line: settings, exit codes, the
 * commands that run one part each, and the record commands.
 *
 * @example Reading settings
 * ```ts
 * import { readSettings } from "./mod.ts";
 * const { settings } = readSettings(["--port", "7071"], {});
 * settings.url; // "ws://127.0.0.1:7071"
 * ```
 *
 * @module
 */
export { consoleLogger, isLogLevel, LOG_LEVELS, type LogLevel } from "./console-logger.ts";
export { PartExitError } from "./child.ts";
export { EXIT_CODES } from "./exit-codes.ts";
export { brokerUrl, READY_PREFIX, runBroker, runEncryptor, runStorage } from "./parts.ts";
export { onShutdown, selfCommand, watchParent } from "./process.ts";
export { deleteCommand, parseKey, retrieveCommand, storeCommand } from "./records.ts";
export { DEFAULT_CONFIG_FILE, readSettings, type Settings, settingsEnvironment, UsageError } from "./settings.ts";
export { type SettingSpec, SETTING_SPECS } from "./setting-specs.ts";
