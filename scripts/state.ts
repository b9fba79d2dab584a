#!/usr/bin/env -S npx tsx
// The secrets repo's operator workflow: init, show, edit, diff, rotate, commit.
// Thin on purpose: every command lives, tested, in projects/vault/src/operator.
import { isCloudError } from '@personal-cloud/cluster';
import { runStateCommand, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { chalk } from 'zx';

const options = vaultOptionsFromEnv(process.env, { sandbox: !process.env.HCLOUD_TOKEN });
const io = {
  env: process.env,
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

try {
  process.exitCode = await runStateCommand(process.argv.slice(2), options, io);
} catch (error) {
  // An error the operator can act on is one line; anything else is a bug and keeps its stack.
  console.error(isCloudError(error) ? chalk.red(`error: ${error.message}`) : error);
  process.exitCode = 1;
}
