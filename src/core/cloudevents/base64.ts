/** Base64 (RFC 4648 section 4, padded) for `data_base64` and the Binary type, without copying data. */

const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  ALPHABET[c.charCodeAt(0)] = 1;

/** True for canonical padded base64: length a multiple of 4, `=` only as the last one or two characters. */
export function isBase64(value: string): boolean {
  const length = value.length;
  if (length % 4 !== 0) return false;
  let end = length;
  if (length > 0 && value.charCodeAt(length - 1) === 0x3d)
    end = value.charCodeAt(length - 2) === 0x3d ? length - 2 : length - 1;
  for (let i = 0; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || ALPHABET[c] !== 1) return false;
  }
  return true;
}

/** Decodes valid base64 (check with isBase64 first) into a plain Uint8Array. */
export function decodeBase64(value: string): Uint8Array {
  return plainBytes(Buffer.from(value, 'base64'));
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A plain Uint8Array view of the same memory (a Buffer or other subclass becomes a Uint8Array; no copy). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
