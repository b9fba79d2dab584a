import type { DesiredVolume } from '@personal-cloud/cluster';
import * as volumes from '../../hcloud/resources/volumes';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedVolume } from '../observed';
import type { Difference } from '../plan-types';

export const volumeKind: Kind<DesiredVolume, ObservedVolume> = {
  type: 'volume',
  diff(desired, observed, exists) {
    const differences: Difference[] = [];
    if (desired.location !== observed.location)
      differences.push({ field: 'location', from: observed.location, to: desired.location });
    if (observed.format !== null && observed.format !== desired.format)
      differences.push({ field: 'format', from: observed.format, to: desired.format });
    if (desired.sizeGb !== observed.sizeGb)
      differences.push({ field: 'size', from: observed.sizeGb, to: desired.sizeGb });
    // A server that does not exist yet takes its volumes, and protects them, when it is created.
    const serverExists = exists(`server/${desired.server}`);
    if (observed.server !== desired.server && serverExists)
      differences.push({ field: 'server', from: observed.server, to: desired.server });
    if (!observed.protectDelete && serverExists) differences.push({ field: 'protection', from: false, to: true });
    differences.push(...labelDifference(desired.labels, observed.labels));
    // Volumes only grow; a smaller size, another location or file system is a new, empty volume.
    const shrinks = desired.sizeGb < observed.sizeGb;
    return verdict(differences, ['location', 'format', ...(shrinks ? ['size'] : [])]);
  },
  // Only attaching needs the server; a server being created takes its volumes itself.
  needs: (desired, action, differences) =>
    action === 'update' && differences.some((d) => d.field === 'server') ? [`server/${desired.server}`] : [],
  holds: () => [],
  holdsData: (observed) => `volume ${observed.name} (${observed.sizeGb} GB) holds data`,
  async create(ctx, desired) {
    const server = ctx.findId('server', desired.server);
    const { volume, actions } = await volumes.create(ctx.client, {
      name: desired.name,
      size: desired.sizeGb,
      format: desired.format,
      labels: desired.labels,
      // Beside an existing server it is attached right away; otherwise the server takes it when created.
      ...(server !== undefined ? { server, automount: false } : { location: desired.location }),
    });
    await ctx.wait(actions);
    // A volume made for a server still to come is protected by that server's creation, once
    // attached; protecting it here would put one more action on the critical path.
    if (server !== undefined) await ctx.wait(await volumes.changeProtection(ctx.client, volume.id, { delete: true }));
    await ctx.settled('volume', desired.name, volume.id);
  },
  async update(ctx, desired, observed, differences) {
    const fields = new Set(differences.map((d) => d.field));
    if (fields.has('size')) await ctx.wait(await volumes.resize(ctx.client, observed.id, { size: desired.sizeGb }));
    if (fields.has('server')) {
      if (observed.server !== null) await ctx.wait(await volumes.detach(ctx.client, observed.id));
      await ctx.wait(
        await volumes.attach(ctx.client, observed.id, { server: ctx.idOf('server', desired.server), automount: false }),
      );
    }
    if (fields.has('protection'))
      await ctx.wait(await volumes.changeProtection(ctx.client, observed.id, { delete: true }));
    if (fields.has('labels')) await volumes.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('volume', desired.name, observed.id);
  },
  async rename(ctx, id, name) {
    await volumes.update(ctx.client, id, { name });
  },
  async remove(ctx, observed) {
    if (observed.protectDelete)
      await ctx.wait(await volumes.changeProtection(ctx.client, observed.id, { delete: false }));
    // Look again: a server deleted earlier in this run took its volumes off with it.
    if (observed.server !== null && (await volumes.get(ctx.client, observed.id)).server !== null)
      await ctx.wait(await volumes.detach(ctx.client, observed.id));
    await volumes.delete(ctx.client, observed.id);
    await ctx.removed('volume', observed.name);
  },
};
