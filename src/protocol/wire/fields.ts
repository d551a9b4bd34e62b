/**
 * Checks for fields read off the wire. Each failure throws the protocol error
 * for it, naming the field but never echoing its value.
 *
 * @module
 */
import { BadRequestError, TooLargeError } from "./errors.ts";

/** A decoded CBOR map. */
export type Fields = Record<string, unknown>;

/**
 * Tells whether a decoded value is a plain map (not an array, byte string,
 * tagged value or anything else a decoder can build).
 *
 * @param value A decoded value.
 * @returns `true` for a plain object.
 */
export function isFields(value: unknown): value is Fields {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads a body that must be a map.
 *
 * @param body The `body` of a request or answer.
 * @returns The body as fields.
 * @throws {BadRequestError} When the body is not a map.
 */
export function expectFields(body: unknown): Fields {
  if (!isFields(body)) throw new BadRequestError("Invalid body: expected a map");
  return body;
}

/** Bounds for {@link expectBytes}. */
export interface BytesBounds {
  /** Exact length required; a different length is `BAD_REQUEST`. */
  length?: number;
  /** Largest length allowed; more is `TOO_LARGE`. */
  max?: number;
}

/**
 * Reads a byte-string field.
 *
 * @param fields The map holding the field.
 * @param name The field's name.
 * @param bounds Exact or largest length.
 * @returns The bytes, as decoded (a view, no copy).
 * @throws {BadRequestError} When the field is missing, not bytes, or of the wrong exact length.
 * @throws {TooLargeError} When the field is longer than `bounds.max`.
 */
export function expectBytes(fields: Fields, name: string, bounds: BytesBounds = {}): Uint8Array {
  const value = fields[name];
  if (!(value instanceof Uint8Array)) {
    throw new BadRequestError(`Invalid field "${name}": expected a byte string`);
  }
  if (bounds.length !== undefined && value.byteLength !== bounds.length) {
    throw new BadRequestError(`Invalid field "${name}": expected ${bounds.length} bytes, got ${value.byteLength}`);
  }
  if (bounds.max !== undefined && value.byteLength > bounds.max) {
    throw new TooLargeError(`Invalid field "${name}": ${value.byteLength} bytes is over the limit of ${bounds.max}`);
  }
  return value;
}

/**
 * Reads an integer field.
 *
 * @param fields The map holding the field.
 * @param name The field's name.
 * @param min Smallest value allowed.
 * @param max Largest value allowed.
 * @returns The integer.
 * @throws {BadRequestError} When the field is missing, not an integer or out of range.
 */
export function expectInteger(fields: Fields, name: string, min: number, max: number): number {
  const value = fields[name];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`Invalid field "${name}": expected an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Reads a string field.
 *
 * @param fields The map holding the field.
 * @param name The field's name.
 * @param maxLength Longest length allowed, in UTF-16 units.
 * @param pattern A pattern the whole string must match.
 * @returns The string.
 * @throws {BadRequestError} When the field is missing, not a string, too long or not matching.
 */
export function expectString(fields: Fields, name: string, maxLength: number, pattern?: RegExp): string {
  const value = fields[name];
  if (typeof value !== "string" || value.length > maxLength || (pattern && !pattern.test(value))) {
    throw new BadRequestError(`Invalid field "${name}": expected a string of at most ${maxLength} characters${pattern ? ` matching ${pattern}` : ""}`);
  }
  return value;
}
