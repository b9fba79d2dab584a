import { CloudError, type DesiredSshKey } from '@personal-cloud/cluster';
import { isHcloudError } from '../../hcloud/errors';
import * as sshKeys from '../../hcloud/resources/ssh-keys';
import { labelDifference, verdict, type ApplyContext, type Kind } from '../kind';
import type { ObservedSshKey } from '../observed';

/**
 * Hetzner keeps one copy of each key per project, so an operator whose key is already uploaded
 * (as "laptop", say) gets uniqueness_error. Say which key it is and the two ways out, rather
 * than "a field must be unique".
 */
async function explainKeyClash(
  ctx: ApplyContext,
  desired: DesiredSshKey,
  error: unknown,
): Promise<CloudError | undefined> {
  if (!isHcloudError(error, 'uniqueness_error')) return undefined;
  const existing = (await sshKeys.list(ctx.client)).find(
    (k) => material(k.public_key) === material(desired.publicKey) && k.name !== desired.name,
  );
  if (!existing) return undefined;
  const labels = Object.entries(desired.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return new CloudError(
    `the operator's SSH key is already in the Hetzner project as "${existing.name}" (id ${existing.id}), and Hetzner keeps one copy of a key: delete that copy, or rename it to ${desired.name} with the labels ${labels} so that it is adopted (destroy then deletes it too).`,
  );
}

/** The key material without its comment: Hetzner keeps the comment, but it does not change the key. */
const material = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(' ');

export const sshKeyKind: Kind<DesiredSshKey, ObservedSshKey> = {
  type: 'ssh_key',
  diff: (desired, observed) =>
    verdict(
      [
        ...(material(desired.publicKey) !== material(observed.publicKey)
          ? [{ field: 'public_key', from: material(observed.publicKey), to: material(desired.publicKey) }]
          : []),
        ...labelDifference(desired.labels, observed.labels),
      ],
      ['public_key'],
    ),
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    let key: sshKeys.SshKey;
    try {
      key = await sshKeys.create(ctx.client, {
        name: desired.name,
        public_key: desired.publicKey,
        labels: desired.labels,
      });
    } catch (error) {
      throw (await explainKeyClash(ctx, desired, error)) ?? error;
    }
    await ctx.settled('ssh_key', desired.name, key.id);
  },
  async update(ctx, desired, observed) {
    await sshKeys.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('ssh_key', desired.name, observed.id);
  },
  // Names and fingerprints are unique: a new key (another fingerprint) can exist beside the old one.
  async rename(ctx, id, name) {
    await sshKeys.update(ctx.client, id, { name });
  },
  async remove(ctx, observed) {
    await sshKeys.delete(ctx.client, observed.id);
    await ctx.removed('ssh_key', observed.name);
  },
};
