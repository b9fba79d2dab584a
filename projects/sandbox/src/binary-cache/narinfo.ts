// The .narinfo a binary cache serves for one store path: "Key: value" lines. Nix writes them on
// upload and reads them to substitute; the stand-in parses them to refuse an inconsistent upload.
import { STORE_HASH } from './nix-base32';

export interface NarInfo {
  storePath: string;
  /** The NAR file, relative to the cache root, e.g. nar/1b8m….nar.xz. */
  url: string;
  compression: string;
  /** sha256:<nix base-32> of the file at `url`. */
  fileHash: string;
  fileSize: number;
  narHash: string;
  narSize: number;
  references: string[];
  sigs: string[];
}

/** The narinfo's fields, or one sentence saying what is wrong with it. */
export function parseNarInfo(text: string): NarInfo | string {
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const colon = line.indexOf(': ');
    if (colon < 1) return `the line "${line.slice(0, 60)}" is not "Key: value"`;
    const key = line.slice(0, colon);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(colon + 2)]);
  }
  const one = (key: string) => fields.get(key)?.[0];
  for (const key of ['StorePath', 'URL', 'FileHash', 'FileSize', 'NarHash', 'NarSize'])
    if (one(key) === undefined) return `it has no ${key} field`;
  const fileSize = Number(one('FileSize'));
  const narSize = Number(one('NarSize'));
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) return `FileSize "${one('FileSize')}" is not a size in bytes`;
  if (!Number.isSafeInteger(narSize) || narSize < 0) return `NarSize "${one('NarSize')}" is not a size in bytes`;
  return {
    storePath: one('StorePath')!,
    url: one('URL')!,
    // Nix's default when the field is missing: narinfos from before compression was recorded.
    compression: one('Compression') ?? 'bzip2',
    fileHash: one('FileHash')!,
    fileSize,
    narHash: one('NarHash')!,
    narSize,
    references: (one('References') ?? '').split(' ').filter(Boolean),
    sigs: fields.get('Sig') ?? [],
  };
}

/** The hash part of /nix/store/<hash>-<name> under `storeDir`, or undefined when it is not such a path. */
export function storePathHash(storePath: string, storeDir: string): string | undefined {
  if (!storePath.startsWith(`${storeDir}/`)) return undefined;
  const base = storePath.slice(storeDir.length + 1);
  const hash = base.slice(0, 32);
  return STORE_HASH.test(hash) && base[32] === '-' && base.length > 33 && !base.includes('/') ? hash : undefined;
}
