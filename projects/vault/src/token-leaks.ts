// The vault's tokens are secrets: no value may appear in what a layer renders (hosts' .nix files
// and dist/, k8s-apps' GitOps tree) or in a file git tracks. (Vars are topology: they may.) Every
// layer scans with these needles; found values are reported by their token's name, never shown.
// An expiry date (`<NAME>_EXPIRES`) is no secret.
import { isExpiryToken } from './token-expiry';

export interface ScannedFile {
  path: string;
  text: string;
}

export interface Leak {
  token: string;
  path: string;
}

/** Shorter values would match by chance; every real token or key is far longer. */
export const MIN_SECRET_LENGTH = 12;

/**
 * A line of a multi-line value (a key, a kubeconfig) is looked for on its own only when it holds
 * key material, a run of 24 base64 characters: `apiVersion: v1` or `current-context: default`
 * are in every kubeconfig and prove nothing.
 */
const KEY_MATERIAL = /[A-Za-z0-9+/=]{24,}/;

/**
 * What to look for: each token's whole value, and for a multi-line value (a PEM key) each of
 * its long lines, so a key copied with other line breaks is still found.
 */
export function secretNeedles(tokens: Record<string, string>): { token: string; needle: string }[] {
  return Object.entries(tokens).flatMap(([token, value]) => {
    if (isExpiryToken(token)) return [];
    const secretLine = openSshSecretLines(value);
    const lines = value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l, i) => KEY_MATERIAL.test(l) && !/^-----(BEGIN|END) /.test(l) && secretLine(i));
    const whole = value.trim();
    const needles = new Set([
      ...(whole.length >= MIN_SECRET_LENGTH ? [whole] : []),
      ...(whole.includes('\n') ? lines : []),
    ]);
    return [...needles].map((needle) => ({ token, needle }));
  });
}

export function findLeaks(files: readonly ScannedFile[], tokens: Record<string, string>): Leak[] {
  const needles = secretNeedles(tokens);
  const leaks = new Map<string, Leak>();
  for (const file of files)
    for (const { token, needle } of needles)
      if (file.text.includes(needle)) leaks.set(`${token}\0${file.path}`, { token, path: file.path });
  return [...leaks.values()];
}

const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';

/**
 * Which lines of an OpenSSH ed25519 private key file hold its secret. The file starts with a
 * header and the public key, the same in every such key or public anyway (its first line is
 * identical in all of them), so only the lines that carry the private scalar count: a test or a
 * doc that shows a key's first lines is no leak. Any other value: every line counts.
 */
function openSshSecretLines(value: string): (lineIndex: number) => boolean {
  const lines = value.trim().split(/\r?\n/);
  if (lines[0]?.trim() !== OPENSSH_BEGIN) return () => true;
  const body = lines.slice(1, -1).map((l) => l.trim());
  const bytes = Buffer.from(body.join(''), 'base64');
  // The private half is the 64-byte string seed ‖ public key: find the third copy of the public key.
  const publicKey = bytes.subarray(
    bytes.indexOf(Buffer.from('ssh-ed25519')) + 15,
    bytes.indexOf(Buffer.from('ssh-ed25519')) + 47,
  );
  let at = -1;
  for (let copy = 0; copy < 3; copy++) at = bytes.indexOf(publicKey, at + 1);
  if (at < 32) return () => true;
  const [seedStart, seedEnd] = [at - 32, at];
  const starts = body.map((_, i) => body.slice(0, i).join('').length);
  return (lineIndex) => {
    const i = lineIndex - 1;
    if (i < 0 || i >= body.length) return false;
    const first = Math.floor((starts[i]! * 3) / 4);
    const last = Math.ceil(((starts[i]! + body[i]!.length) * 3) / 4);
    return first < seedEnd && last > seedStart;
  };
}
