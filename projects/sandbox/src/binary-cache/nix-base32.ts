// Nix's own base-32 (not RFC 4648): the alphabet leaves out e, o, u and t, and the bytes are read
// from the last one. Store path hashes and narinfo hashes (`sha256:1b8m03r6…`) are written in it.
const ALPHABET = '0123456789abcdfghijklmnpqrsvwxyz';

export function toNixBase32(bytes: Uint8Array): string {
  const length = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = length - 1; n >= 0; n--) {
    const bit = n * 5;
    const i = Math.floor(bit / 8);
    const j = bit % 8;
    const low = bytes[i]! >> j;
    const high = i + 1 < bytes.length ? bytes[i + 1]! << (8 - j) : 0;
    out += ALPHABET[(low | high) & 0x1f];
  }
  return out;
}

/** A store path's hash part: 32 characters of Nix base-32. */
export const STORE_HASH = /^[0-9abcdfghijklmnpqrsvwxyz]{32}$/;
