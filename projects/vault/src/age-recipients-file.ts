import { VaultError } from './vault-error';

export const RECIPIENTS_FILE = 'recipients.txt';

/** Bech32 after the `age1` prefix; the full check happens when a file key is wrapped. */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{6,}$/;

/** Parses age's recipients-file format: `age1…` lines, `#` comments and blank lines. */
export function parseRecipientsFile(text: string, file = RECIPIENTS_FILE): string[] {
  const recipients: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `line ${index + 1} of ${file}`;
    if (line.startsWith('ssh-')) {
      throw new VaultError(
        `${where} is an ssh recipient, which this vault cannot encrypt to; replace it with the person's age1… public key.`,
      );
    }
    if (!AGE_RECIPIENT.test(line)) {
      throw new VaultError(
        `${where} is not an age public key (expected one age1… recipient a line); fix or remove that line.`,
      );
    }
    recipients.push(line);
  }
  return recipients;
}

/**
 * Refuses to write when none of the identity's keys is a recipient: every write would produce
 * files that the writer itself could not read back.
 */
export function assertIdentityIsRecipient(
  recipients: readonly string[],
  ownRecipients: readonly string[],
  file: string,
): void {
  if (ownRecipients.some((own) => recipients.includes(own))) return;
  throw new VaultError(
    `${file} does not include your public key ${ownRecipients[0] ?? ''}, so you could not read what you write; add that line to it (or use the identity it lists).`,
  );
}

/** The text of a new repo's recipients file. */
export function renderRecipientsFile(recipients: readonly string[]): string {
  return [
    '# age recipients: every document in this repository is encrypted to each public key below.',
    '# One age1… key a line; documents are re-encrypted to this list on their next write.',
    ...recipients,
    '',
  ].join('\n');
}

/** Replaces the retired keys with `replacement` where they stood, keeping comments and other people's keys. */
export function replaceRecipients(text: string, retired: readonly string[], replacement: string): string {
  const lines = text.split(/\r?\n/);
  let placed = false;
  const out: string[] = [];
  for (const line of lines) {
    if (!retired.includes(line.trim())) {
      out.push(line);
      continue;
    }
    if (!placed) out.push(replacement);
    placed = true;
  }
  if (!placed) {
    if (out.length > 0 && out[out.length - 1] === '') out.splice(out.length - 1, 0, replacement);
    else out.push(replacement, '');
  }
  return out.join('\n');
}
