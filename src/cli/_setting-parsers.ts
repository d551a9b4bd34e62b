/**
 * Checks and conversions of setting values: each takes a value as a flag or
 * variable gives it (a string) or as the config file gives it (JSON), and
 * returns the value or what was expected instead.
 *
 * @module
 */

/** A value a parser refuses, with what was expected. */
export type Invalid = { invalid: string };

export function integer(min: number, max: number) {
  return (value: unknown): number | Invalid => {
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      return { invalid: `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}` };
    }
    return n;
  };
}

/**
 * Takes one of a fixed list of words.
 *
 * @param words The words taken.
 * @returns The parser.
 */
export function oneOf<const T extends string>(words: readonly T[]) {
  return (value: unknown): T | Invalid =>
    typeof value === "string" && (words as readonly string[]).includes(value)
      ? (value as T)
      : { invalid: `expected one of ${words.map((w) => `"${w}"`).join(", ")}, got ${JSON.stringify(value)}` };
}

export function text(check?: (value: string) => string | undefined) {
  return (value: unknown): string | Invalid => {
    if (typeof value !== "string" || value === "") return { invalid: `expected a non-empty string, got ${JSON.stringify(value)}` };
    const problem = check?.(value);
    return problem ? { invalid: problem } : value;
  };
}

export function bool(value: unknown): boolean | Invalid {
  if (typeof value === "boolean") return value;
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  return { invalid: `expected true or false, got ${JSON.stringify(value)}` };
}

export function list(parseItem: (item: string) => number | undefined, what: string) {
  return (value: unknown): number[] | Invalid => {
    const items = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value.map(String) : [];
    const parsed = items.map((item) => parseItem(item.trim()));
    if (items.length === 0 || parsed.some((n) => n === undefined)) {
      return { invalid: `expected a comma-separated list of ${what}, got ${JSON.stringify(value)}` };
    }
    return parsed as number[];
  };
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2 };

/**
 * Reads a size such as `64`, `1k`, `64KiB` or `16m`.
 *
 * @param text The size.
 * @returns Bytes, or `undefined` when the text is not a size.
 */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}

export function size(max: number) {
  return (value: unknown): number | Invalid => {
    const n = typeof value === "number" ? value : typeof value === "string" ? parseSize(value.trim()) : undefined;
    if (n === undefined || !Number.isSafeInteger(n) || n < 0 || n > max) {
      return { invalid: `expected a size such as 64, 1k or 1m, at most ${max} bytes, got ${JSON.stringify(value)}` };
    }
    return n;
  };
}

export function positiveInteger(text: string): number | undefined {
  return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/**
 * Checks a file path.
 *
 * @param value The value.
 * @returns The path, or what was expected.
 */
export function path(value: unknown): string | Invalid {
  return typeof value === "string" && value !== "" ? value : { invalid: `expected a file path, got ${JSON.stringify(value)}` };
}

/**
 * Checks a list of web origins such as `https://app.example,http://localhost:3000`, or `*`.
 *
 * @param value The value: comma-separated text, or a JSON array.
 * @returns The origins, or what was expected.
 */
export function origins(value: unknown): string[] | Invalid {
  const items = typeof value === "string" ? value.split(",").map((o) => o.trim()).filter(Boolean) : Array.isArray(value) ? value : [];
  const bad = items.find((o) => typeof o !== "string" || (o !== "*" && !/^https?:\/\/[^/\s]+$/.test(o)));
  if (items.length === 0 || bad !== undefined) {
    return { invalid: `expected origins such as https://app.example (scheme, host and port, no path), or *, got ${JSON.stringify(value)}` };
  }
  return items as string[];
}
