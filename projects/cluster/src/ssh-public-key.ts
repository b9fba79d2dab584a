// OpenSSH public keys, parsed the way Hetzner parses them before it accepts one: the algorithm named
// in front must be one Hetzner takes, the base64 blob must decode, name the same algorithm, and hold
// a key of the right size. Checking this in validation means a key Hetzner would refuse with a 422
// is refused before any plan deletes the key that works.

/** Key types Hetzner Cloud accepts, and what each must hold. */
const ECDSA_POINT_BYTES = { 'ecdsa-sha2-nistp256': 65, 'ecdsa-sha2-nistp384': 97, 'ecdsa-sha2-nistp521': 133 } as const;
export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  ...(Object.keys(ECDSA_POINT_BYTES) as (keyof typeof ECDSA_POINT_BYTES)[]),
] as const;
export const RSA_MIN_BITS = 2048;
const ED25519_KEY_BYTES = 32;

const ALLOWED = `an OpenSSH public key "<type> <base64> [comment]" of type ${SSH_KEY_TYPES.join(', ')}`;

/** Reads the SSH wire format's length-prefixed strings (RFC 4251 §5) one after another. */
function wireReader(blob: Buffer) {
  let at = 0;
  return {
    next(): Buffer | undefined {
      if (at + 4 > blob.length) return undefined;
      const length = blob.readUInt32BE(at);
      if (at + 4 + length > blob.length) return undefined;
      const field = blob.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      return field;
    },
    done: () => at === blob.length,
  };
}

/** The bit length of an mpint (a big-endian, two's-complement integer with a possible leading zero byte). */
function mpintBits(value: Buffer): number {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  if (start === value.length) return 0;
  return (value.length - start - 1) * 8 + value[start]!.toString(2).length;
}

/** Why `text` is not a public key Hetzner accepts, or undefined when it is one. */
export function sshPublicKeyProblem(text: string): string | undefined {
  const [type = '', data = ''] = text.trim().split(/\s+/);
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type))
    return `must be ${ALLOWED}; got type "${type.slice(0, 40)}"`;
  if (!data) return `must be ${ALLOWED}; the base64 key data after "${type}" is missing`;
  // Buffer.from skips characters that are not base64, so compare the round trip to be strict.
  const blob = Buffer.from(data, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || blob.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, ''))
    return `must be ${ALLOWED}; its key data is not valid base64`;
  const fields = wireReader(blob);
  const embedded = fields.next()?.toString('latin1');
  if (embedded !== type)
    return `is a truncated or corrupt ${type} key: its key data ${embedded === undefined ? 'is too short to name a type' : `names "${embedded.slice(0, 40)}"`}`;
  if (type === 'ssh-ed25519') {
    const key = fields.next();
    if (key?.length !== ED25519_KEY_BYTES || !fields.done())
      return `is a truncated or corrupt ssh-ed25519 key: it must hold a ${ED25519_KEY_BYTES}-byte key${key ? `, got ${key.length} bytes` : ''}`;
    return undefined;
  }
  if (type === 'ssh-rsa') {
    const exponent = fields.next();
    const modulus = fields.next();
    if (!exponent || !modulus || !fields.done())
      return 'is a truncated or corrupt ssh-rsa key: it must hold an exponent and a modulus';
    const bits = mpintBits(modulus);
    if (bits < RSA_MIN_BITS)
      return `is a ${bits}-bit RSA key; Hetzner needs at least ${RSA_MIN_BITS} bits (or use ssh-ed25519)`;
    return undefined;
  }
  const curve = fields.next()?.toString('latin1');
  const point = fields.next();
  const bytes = ECDSA_POINT_BYTES[type as keyof typeof ECDSA_POINT_BYTES];
  if (curve !== type.slice('ecdsa-sha2-'.length) || point?.length !== bytes || point[0] !== 4 || !fields.done())
    return `is a truncated or corrupt ${type} key: it must name curve ${type.slice('ecdsa-sha2-'.length)} and hold a ${bytes}-byte point`;
  return undefined;
}
