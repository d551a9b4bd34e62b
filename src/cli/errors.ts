/**
 * Errors of the command line itself, as opposed to those the service
 * answers: each has its own exit status, and a message that says what to do.
 *
 * @module
 */

/** A command line that cannot be used as given: a flag, an argument or a setting. */
export class UsageError extends Error {
  /**
   * @param message What is wrong and what to do.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}
