/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) for the short messages of the key
 * derivation, with a key's padded states computed once and reused. The
 * derivation makes three HMACs per record from two keys (the fixed salt and
 * the record's PRK); through `node:crypto` each was an object of its own and
 * a crossing into C++, which cost the encryptor more than its AES-GCM. Here
 * they are eight compressions of SHA-256 over preallocated buffers.
 *
 * SHA-256 has no branch and no memory access that depends on the data, so
 * this code takes the same time whatever the key. `crypto.test.ts` checks it
 * against `node:crypto` and the test vectors of RFC 4231.
 *
 * @module
 */

const ROUND = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const BLOCK = 64;

// Scratch space, reused by every call: the work is synchronous and never re-entered.
const w = new Int32Array(64);
const block = new Uint8Array(BLOCK);
const state = new Int32Array(8);
const digest = new Uint8Array(32);

function compress(s: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + ROUND[i]! + w[i]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

/** Hashes the rest of a message into `state`: `parts` follow `prefixLength` bytes already compressed. */
function finish(parts: readonly Uint8Array[], prefixLength: number, out: Uint8Array): void {
  let filled = 0;
  let length = prefixLength;
  for (const part of parts) {
    let at = 0;
    length += part.length;
    if (filled > 0) {
      const take = Math.min(BLOCK - filled, part.length);
      block.set(part.subarray(0, take), filled);
      filled += take;
      at = take;
      if (filled < BLOCK) continue;
      compress(state, block, 0);
      filled = 0;
    }
    for (; at + BLOCK <= part.length; at += BLOCK) compress(state, part, at);
    if (at < part.length) {
      block.set(part.subarray(at), 0);
      filled = part.length - at;
    }
  }
  block[filled++] = 0x80;
  if (filled > BLOCK - 8) {
    block.fill(0, filled);
    compress(state, block, 0);
    filled = 0;
  }
  block.fill(0, filled, BLOCK - 8);
  // The length in bits as 8 bytes big-endian; messages here are far below 2^32 bits.
  const bits = length * 8;
  block[56] = 0;
  block[57] = 0;
  block[58] = 0;
  block[59] = Math.floor(bits / 0x1_0000_0000) & 0xff;
  block[60] = bits >>> 24;
  block[61] = bits >>> 16;
  block[62] = bits >>> 8;
  block[63] = bits;
  compress(state, block, 0);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
}

// The state after the key's block XORed with `pad`.
function padded(target: Int32Array, key: Uint8Array, pad: number): void {
  block.fill(pad);
  for (let i = 0; i < key.length; i++) block[i] = key[i]! ^ pad;
  target.set(INITIAL);
  compress(target, block, 0);
  block.fill(0);
}

/** An HMAC key, its inner and outer padded blocks compressed once. */
export class HmacKey {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);

  /** @param key The key, at most 64 bytes (longer keys are not needed here). */
  constructor(key: Uint8Array) {
    this.rekey(key);
  }

  /**
   * Replaces the key, reusing this object.
   *
   * @param key The key, at most 64 bytes.
   * @throws {RangeError} When the key is longer than 64 bytes.
   */
  rekey(key: Uint8Array): void {
    if (key.length > BLOCK) throw new RangeError(`Cannot use an HMAC key of ${key.length} bytes: at most ${BLOCK}`);
    padded(this.#inner, key, 0x36);
    padded(this.#outer, key, 0x5c);
  }

  /**
   * Computes HMAC-SHA-256 of the concatenation of `parts`.
   *
   * @param parts The message, in parts.
   * @param out Where the 32-byte tag goes. @default a new array
   * @returns `out`.
   */
  mac(parts: readonly Uint8Array[], out: Uint8Array = new Uint8Array(32)): Uint8Array {
    state.set(this.#inner);
    finish(parts, BLOCK, digest);
    state.set(this.#outer);
    finish([digest], BLOCK, out);
    return out;
  }
}
