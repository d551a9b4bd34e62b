/**
 * Errors of the command line itself, as opposed to those the service
 * answers: each has its own exit status, and a message that says what to do.
 *
 * @module
 */
import type { ExitName } from "./exit-codes.ts";

/** An error of the command line, with the name of its exit status. */
export class CommandLineError extends Error {
  /** The name of the exit status it ends the command with. */
  readonly exit: ExitName;

  /**
   * @param exit The name of its exit status.
   * @param message What is wrong and what to do.
   * @param options The cause.
   */
  constructor(exit: ExitName, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CommandLineError";
    this.exit = exit;
  }
}

/** A command line that cannot be used as given: a flag, an argument or a setting. */
export class UsageError extends CommandLineError {
  /**
   * @param message What is wrong and what to do.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("USAGE", message, options);
    this.name = "UsageError";
  }
}

/** A file or directory of this machine that cannot be read or written. */
export class LocalFileError extends CommandLineError {
  /**
   * @param message What could not be done, why, and what to do.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("LOCAL_FILE", message, options);
    this.name = "LocalFileError";
  }
}

/** The broker cannot listen on its host and port. */
export class ListenError extends CommandLineError {
  /**
   * @param message Where, why, and what to do.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("CANNOT_LISTEN", message, options);
    this.name = "ListenError";
  }
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
};

/**
 * Whether an error is one of a file operation on this machine.
 *
 * @param error Any error.
 * @returns `true` when it has a file system code {@link fileProblem} knows.
 */
export function isFileError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && Object.hasOwn(FILE_PROBLEMS, code);
}

/**
 * A failed file operation in people's words.
 *
 * @param error The error of the operation.
 * @returns `"no such file or directory"` and the like, or the error's code or message.
 */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(FILE_PROBLEMS, code)) return FILE_PROBLEMS[code]!;
  return code ?? (error instanceof Error ? error.message : String(error));
}
