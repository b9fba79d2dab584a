// No value of the vault's tokens may reach the GitOps tree, as itself or base64-encoded (as a
// Secret's data would hold it). The message names the token and the file, never the value.
/** Shorter values would match by chance (a token "true" is not a leak in every file that says true). */
export const MIN_LEAK_LENGTH = 8;

export function tokenLeakProblems(
  files: ReadonlyMap<string, string>,
  tokens: Readonly<Record<string, string>>,
): string[] {
  const needles = Object.entries(tokens)
    .filter(([, value]) => value.trim().length >= MIN_LEAK_LENGTH)
    .flatMap(([name, value]) => [
      { name, form: '', text: value.trim() },
      { name, form: ' (base64-encoded)', text: Buffer.from(value).toString('base64') },
    ]);
  const problems: string[] = [];
  for (const [file, text] of files)
    for (const needle of needles)
      if (text.includes(needle.text))
        problems.push(
          `${file} contains the value of the vault's token ${needle.name}${needle.form}; reference a Secret created at deploy time instead`,
        );
  return problems;
}
