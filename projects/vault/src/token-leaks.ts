// The vault's tokens are secrets: no value may appear in what a layer renders (hosts' .nix files
// and dist/, k8s-apps' GitOps tree) or in a file git tracks. (Vars are topology: they may.) Every
// layer scans with these needles; found values are reported by their token's name, never shown.

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
 * What to look for: each token's whole value, and for a multi-line value (a PEM key) each of
 * its long lines, so a key copied with other line breaks is still found.
 */
export function secretNeedles(tokens: Record<string, string>): { token: string; needle: string }[] {
  return Object.entries(tokens).flatMap(([token, value]) => {
    const lines = value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(l));
    const whole = value.trim();
    const needles = new Set([
      ...(whole.length >= MIN_SECRET_LENGTH ? [whole] : []),
      ...(lines.length > 1 ? lines : []),
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
