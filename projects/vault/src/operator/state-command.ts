import { serializeDocument } from '../document-store';
import { DOC_NAMES, isDocName, type DocName } from '../documents';
import { openVaultParts } from '../vault';
import { VaultError } from '../vault-error';
import type { VaultOptions } from '../vault-options';
import { commitPending } from './commit-pending';
import { diffDocument } from './diff-document';
import { editDocument } from './edit-document';
import { editorFromEnv } from './editor-command';
import { describeInit, initVault } from './init-vault';
import { secureTempPlaces, type SecureTempPlaces } from '../secure-temp-dir';
import { rotateIdentity } from './rotate-identity';

export const STATE_USAGE = [
  'usage: state.ts show [state|vars|tokens]   print a decrypted document (default: state)',
  '       state.ts edit [state|vars|tokens]   edit it in $EDITOR; validated before it is encrypted',
  '       state.ts diff [state|vars|tokens]   decrypted diff of the working file against HEAD',
  '       state.ts rotate                     new identity, every document re-encrypted to it',
  '       state.ts commit [message]           validate every document, commit what is pending',
  '       state.ts commit --init [message]    the same, in a new git history for vault files whose .git was lost',
  '       state.ts init                       new identity (or adopt the existing one), recipients.txt, secrets repo',
].join('\n');

export interface StateCommandIo {
  env: NodeJS.ProcessEnv;
  /** Results (stdout). */
  out: (text: string) => void;
  /** Usage (stderr). */
  err: (text: string) => void;
  /** Where decrypted text may be put for editing; defaults to /dev/shm, then $XDG_RUNTIME_DIR, else the temp dir. */
  tempPlaces?: SecureTempPlaces;
}

/**
 * `scripts/state.ts`: the seed's update-script workflow, one command each. Returns the exit
 * status; a VaultError propagates for the runner to print as one line.
 */
export async function runStateCommand(
  args: readonly string[],
  options: VaultOptions,
  io: StateCommandIo,
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'init': {
      noMoreArguments('init', rest);
      io.out(describeInit(await initVault(options)));
      return 0;
    }
    case 'show': {
      const parts = await openVaultParts(options);
      io.out(serializeDocument(await parts.vault.read(docArgument(rest))));
      return 0;
    }
    case 'edit': {
      const doc = docArgument(rest);
      const parts = await openVaultParts(options);
      const outcome = await editDocument(parts.vault, doc, {
        editor: editorFromEnv(io.env),
        env: io.env,
        tempPlaces: io.tempPlaces ?? secureTempPlaces(io.env),
        warn: (line) => io.err(`${line}\n`),
      });
      io.out(
        outcome.written
          ? `${doc}: written and committed (${outcome.message}).\n`
          : `${doc}: unchanged; nothing was written.\n`,
      );
      return 0;
    }
    case 'diff': {
      const parts = await openVaultParts(options);
      io.out(`${await diffDocument(parts, docArgument(rest))}\n`);
      return 0;
    }
    case 'rotate': {
      noMoreArguments('rotate', rest);
      const rotation = await rotateIdentity(await openVaultParts(options));
      io.out(
        `Rotated the age identity: ${rotation.reencrypted.length} document(s) re-encrypted to ${rotation.recipient}; ` +
          `the old key is kept in ${rotation.oldIdentityPath} for reading history.\n`,
      );
      return 0;
    }
    case 'commit': {
      const startHistory = rest[0] === '--init';
      const words = startHistory ? rest.slice(1) : rest;
      const outcome = await commitPending(
        await openVaultParts(options, { acceptMissingGit: startHistory }),
        words.join(' '),
        startHistory,
      );
      io.out(
        outcome.committed
          ? `Committed ${outcome.files.join(', ')}: ${outcome.message}\n`
          : 'Nothing to commit: the secrets repo has no pending changes.\n',
      );
      return 0;
    }
    default:
      io.err(
        `${command === undefined || command === 'help' || command === '--help' ? '' : `unknown command "${command}".\n`}${STATE_USAGE}\n`,
      );
      return command === 'help' || command === '--help' ? 0 : 2;
  }
}

function docArgument(rest: readonly string[]): DocName {
  const [name = 'state', ...extra] = rest;
  if (!isDocName(name))
    throw new VaultError(`there is no document "${name}" in the secrets repo; name one of ${DOC_NAMES.join(', ')}.`);
  if (extra.length > 0)
    throw new VaultError(
      `unexpected arguments after the document name: ${extra.join(' ')}; give one document (${DOC_NAMES.join(', ')}).`,
    );
  return name;
}

function noMoreArguments(command: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new VaultError(`${command} takes no arguments, but got: ${rest.join(' ')}.`);
}
