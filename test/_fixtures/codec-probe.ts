/**
 * Run as a program: decodes the CBOR of the shared sample with the codec as
 * this process loaded it, and prints whether the native extractor is in use,
 * the SHA-256 of the encoded bytes, and whether decoding gave the sample back.
 *
 * @module
 */
import { deepStrictEqual } from "node:assert";
import { createHash } from "node:crypto";
import { isNativeAccelerationEnabled } from "cbor-x";
import { decodeBody as decode, encodeBody as encode } from "../../src/protocol/wire/mod.ts";
import { cborSample } from "../_helpers/cbor-sample.ts";

const bytes = encode(cborSample());
// Byte strings decode as views of the frame (Buffers on Node): compare them as arrays of numbers,
// taken before Buffer's own toJSON() turns them into objects.
const plain = (value: unknown) =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Uint8Array ? [...raw] : v;
  });
let same = true;
try {
  deepStrictEqual(plain(decode(bytes)), plain(cborSample()));
} catch {
  same = false;
}
const sha256 = createHash("sha256").update(bytes).digest("hex");
console.log(JSON.stringify({ native: isNativeAccelerationEnabled, sha256, same }));
