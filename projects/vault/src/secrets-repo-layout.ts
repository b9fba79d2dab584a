/**
 * Files the vault leaves in the secrets repo that must never be committed: the writer lock and
 * its takeover claims, the previous version of each document, temp files of interrupted writes,
 * the documents' slice fingerprints (derived on every write; see slice-fingerprints.ts) and the key
 * step's note that every key exists (keys/keys-index.ts).
 */
export const TRANSIENT_PATTERNS = [
  '.lock',
  '.lock.*',
  '*.backup',
  '*.tmp',
  'fingerprints.json',
  'keys-index.json',
] as const;

export const GITIGNORE_TEXT = [
  '# Written by the personal-cloud vault: the writer lock, previous versions and interrupted writes stay local.',
  ...TRANSIENT_PATTERNS,
  '',
].join('\n');

/** Git pathspecs that leave the transient files out even where .gitignore does not list them. */
export const TRANSIENT_EXCLUDES = TRANSIENT_PATTERNS.map((pattern) => `:(exclude,glob)**/${pattern}`);

/**
 * The documents' slice fingerprints (slice-fingerprints.ts). Here, in a file that imports nothing,
 * because the Nx plugin reads it at every nx command (keys-index.ts, task-fingerprints.ts) and
 * must not load the vault's error classes, which load @personal-cloud/cluster and zod with them.
 */
export const FINGERPRINTS_FILE = 'cluster/fingerprints.json';
