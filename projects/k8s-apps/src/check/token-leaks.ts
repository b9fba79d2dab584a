// No value of the vault's tokens may reach the GitOps tree. The needles are the vault's own (the
// whole value, each long line of a key); a Kubernetes tree adds each value base64-encoded, as a
// Secret's data would hold it. The message names the token and the file, never the value.
import { secretNeedles } from '@personal-cloud/vault';

export function tokenLeakProblems(
  files: ReadonlyMap<string, string>,
  tokens: Readonly<Record<string, string>>,
): string[] {
  const needles = secretNeedles({ ...tokens }).flatMap(({ token, needle }) => [
    { token, form: '', text: needle },
    { token, form: ' (base64-encoded)', text: Buffer.from(needle).toString('base64') },
  ]);
  const problems = new Set<string>();
  for (const [file, text] of files)
    for (const needle of needles)
      if (text.includes(needle.text))
        problems.add(
          `${file} contains the value of the vault's token ${needle.token}${needle.form}; reference a Secret created at deploy time instead`,
        );
  return [...problems];
}
