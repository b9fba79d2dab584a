import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  assertIdentityIsRecipient,
  parseRecipientsFile,
  renderRecipientsFile,
  replaceRecipients,
} from '../src/age-recipients-file';
import { VaultError } from '../src/vault-error';

const recipient = async () => identityToRecipient(await generateX25519Identity());

describe('recipients.txt', () => {
  it('parses age1 lines between comments and blank lines', async () => {
    const [a, b] = [await recipient(), await recipient()];
    expect(parseRecipientsFile(`# team\n${a}\n\n  ${b}  \r\n# end\n`)).toEqual([a, b]);
    expect(parseRecipientsFile(renderRecipientsFile([a]))).toEqual([a]);
  });

  it('refuses ssh recipients and garbage, naming the line', () => {
    expect(() => parseRecipientsFile('# x\nssh-ed25519 AAAAC3Nza me@host\n', '/r.txt')).toThrow(
      /^line 2 of \/r\.txt is an ssh recipient/,
    );
    expect(() => parseRecipientsFile('age1 not a key\n', '/r.txt')).toThrow(VaultError);
    expect(() => parseRecipientsFile('AGE-SECRET-KEY-1ABC\n', '/r.txt')).toThrow(
      /line 1 of \/r\.txt is not an age public key/,
    );
  });

  it('checks that the writer can read what it writes', async () => {
    const [own, other, second] = [await recipient(), await recipient(), await recipient()];
    expect(() => assertIdentityIsRecipient([own, other], [own], '/r.txt')).not.toThrow();
    expect(() => assertIdentityIsRecipient([other], [second, own], '/r.txt')).toThrow(VaultError);
    expect(() => assertIdentityIsRecipient([other], [own], '/r.txt')).toThrow(
      `/r.txt does not include your public key ${own}, so you could not read what you write; add that line to it (or use the identity it lists).`,
    );
    expect(() => assertIdentityIsRecipient([own], [second, own], '/r.txt')).not.toThrow();
  });

  it('replaces retired keys in place, keeping comments and teammates', async () => {
    const [old, teammate, fresh] = [await recipient(), await recipient(), await recipient()];
    const text = `# ours\n${old}\n# theirs\n${teammate}\n`;
    expect(replaceRecipients(text, [old], fresh)).toBe(`# ours\n${fresh}\n# theirs\n${teammate}\n`);
    expect(replaceRecipients(`${old}\n${teammate}\n${old}\n`, [old], fresh)).toBe(`${fresh}\n${teammate}\n`);
    expect(replaceRecipients(`${teammate}\n`, [old], fresh)).toBe(`${teammate}\n${fresh}\n`);
  });
});
