// The sandbox's GitOps remote: a real bare git repository under the sandbox directory
// (`<dir>/gitops.git`), made on first use. A sandbox without a directory keeps it in a temporary
// folder that is removed when the sandbox stops.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export class GitopsBareRepo {
  private temporary: string | null = null;

  constructor(private readonly dir: string | null) {}

  /** The repository's path, created (empty, bare, default branch main) when missing. */
  ensure(): string {
    const path = join(this.dir ?? this.temporaryDir(), 'gitops.git');
    if (!existsSync(join(path, 'HEAD'))) {
      mkdirSync(path, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', path]);
    }
    return path;
  }

  /** Its file:// URL, as a git remote and as Flux's GitRepository URL in the sandbox. */
  url(): string {
    return pathToFileURL(this.ensure()).href;
  }

  close(): void {
    if (this.temporary) rmSync(this.temporary, { recursive: true, force: true });
    this.temporary = null;
  }

  private temporaryDir(): string {
    this.temporary ??= mkdtempSync(join(tmpdir(), 'sandbox-gitops-'));
    return this.temporary;
  }
}
