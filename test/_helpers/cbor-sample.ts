/**
 * A protocol-shaped value with many strings of every length up to 300
 * code points, ASCII and not, so that decoding it goes through the string
 * extraction that cbor-x does natively when cbor-extract loads.
 *
 * @returns The value; the same on every call.
 */
export function cborSample(): unknown {
  // Cut by code point: a lone half of a surrogate pair has no UTF-8 form.
  const strings = Array.from({ length: 300 }, (_, i) => [...(i % 3 === 0 ? "é✓𝄞" : "ascii ").repeat(i)].slice(0, i).join(""));
  return {
    t: "res",
    id: "correlation-1",
    body: {
      strings,
      bytes: new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256)),
      nested: strings.slice(0, 50).map((s, i) => ({ s, i, neg: -i, float: i / 7, ok: i % 2 === 0, none: null })),
    },
  };
}
