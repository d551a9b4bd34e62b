/**
 * "Did you mean …": the nearest of some known words to a mistyped one.
 *
 * @module
 */

/**
 * The known word nearest to a mistyped one, when it is near enough to be
 * what was meant: at most one edit for short words, two for longer ones
 * (an edit inserts, deletes or changes a letter, or swaps two neighbours).
 *
 * @param word The mistyped word.
 * @param known The words it may stand for.
 * @returns The nearest word, or `undefined` when none is near.
 * @example
 * ```ts
 * import { nearest } from "./suggest.ts";
 * nearest("retreive", ["store", "retrieve", "delete"]); // "retrieve"
 * ```
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/**
 * A clause for an error message: `; did you mean "x"?`-like text, or nothing.
 *
 * @param word The mistyped word.
 * @param known The words it may stand for.
 * @param show How to show the suggestion. @default the word in double quotes
 * @returns ` (did you mean "x"?)`, or `""` when nothing is near.
 */
export function didYouMean(word: string, known: readonly string[], show: (word: string) => string = (w) => `"${w}"`): string {
  const found = nearest(word, known);
  return found === undefined ? "" : ` (did you mean ${show(found)}?)`;
}

// Optimal string alignment distance: Levenshtein plus swaps of neighbours.
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
