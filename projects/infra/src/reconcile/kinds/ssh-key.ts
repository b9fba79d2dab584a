import type { DesiredSshKey } from '@personal-cloud/cluster';
import * as sshKeys from '../../hcloud/resources/ssh-keys';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedSshKey } from '../observed';

/** The key material without its comment: Hetzner keeps the comment, but it does not change the key. */
const material = (key: string) => key.trim().split(/\s+/).slice(0, 2).join(' ');

export const sshKeyKind: Kind<DesiredSshKey, ObservedSshKey> = {
  type: 'ssh_key',
  diff: (desired, observed) =>
    verdict(
      [
        ...(material(desired.publicKey) !== material(observed.publicKey) ? [{ field: 'public_key', from: material(observed.publicKey), to: material(desired.publicKey) }] : []),
        ...labelDifference(desired.labels, observed.labels),
      ],
      ['public_key'],
    ),
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    const key = await sshKeys.create(ctx.client, { name: desired.name, public_key: desired.publicKey, labels: desired.labels });
    await ctx.settled('ssh_key', desired.name, key.id);
  },
  async update(ctx, desired, observed) {
    await sshKeys.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('ssh_key', desired.name, observed.id);
  },
  async remove(ctx, observed) {
    await sshKeys.delete(ctx.client, observed.id);
    await ctx.removed('ssh_key', observed.name);
  },
};
