import { spawn } from 'node:child_process';
import { VaultError } from '../vault-error';

/** The operator's editor: $EDITOR, else $VISUAL, else vi. */
export function editorFromEnv(env: NodeJS.ProcessEnv): string {
  return env.EDITOR || env.VISUAL || 'vi';
}

/**
 * Runs the editor on `file` with the terminal attached. The command goes through sh, as git
 * does, so editors given with arguments (`code --wait`) work; the file is passed as "$1".
 */
export function runEditor(editor: string, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit', env });
    child.on('error', (error) =>
      reject(
        new VaultError(
          `could not start the editor "${editor}" (${error.message}); set EDITOR to an editor on PATH, nothing was written.`,
        ),
      ),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new VaultError(
            `the editor "${editor}" exited with ${signal ? `signal ${signal}` : `status ${code}`}; nothing was written.`,
          ),
        );
    });
  });
}
