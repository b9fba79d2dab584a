// What a server's create needs, checked against the API before the server it replaces is deleted:
// a server cannot exist twice, so a create refused after the delete would leave the cloud without it.
import { CloudError, type DesiredServer } from '@personal-cloud/cluster';
import { listImages, listLocations, listServerTypes } from '../../hcloud/resources/catalog';
import * as primaryIps from '../../hcloud/resources/primary-ips';
import * as sshKeys from '../../hcloud/resources/ssh-keys';
import * as volumes from '../../hcloud/resources/volumes';
import type { ApplyContext } from '../kind';

export async function preflightServer(ctx: ApplyContext, desired: DesiredServer): Promise<void> {
  const { client } = ctx;
  const problems: string[] = [];
  const [[type], [location]] = await Promise.all([
    listServerTypes(client, { name: desired.serverType }),
    listLocations(client, { name: desired.location }),
  ]);
  if (!location) problems.push(`location ${desired.location} does not exist`);
  if (!type) problems.push(`server type ${desired.serverType} does not exist`);
  else {
    const sold = type.locations?.find((l) => l.name === desired.location);
    if (location && type.locations && !sold?.available)
      problems.push(`server type ${desired.serverType} is not available in ${desired.location}`);
    if (!(await listImages(client, { name: desired.image, architecture: type.architecture })).length)
      problems.push(`image ${desired.image} does not exist for ${type.architecture} servers`);
  }
  for (const key of desired.sshKeys)
    if (ctx.findId('ssh_key', key) === undefined && !(await sshKeys.list(client, { name: key })).length)
      problems.push(`SSH key ${key} does not exist`);
  for (const [type, name] of [
    ['network', desired.network.name],
    ['placement_group', desired.placementGroup],
  ] as const)
    if (name && ctx.findId(type, name) === undefined) problems.push(`${type.replace('_', ' ')} ${name} does not exist`);
  const address = desired.primaryIpv4 ? ctx.findId('primary_ip', desired.primaryIpv4) : undefined;
  if (desired.primaryIpv4 && address === undefined) problems.push(`primary IP ${desired.primaryIpv4} does not exist`);
  if (address !== undefined) {
    const ip = await primaryIps.get(client, address);
    if (ip.location.name !== desired.location)
      problems.push(`primary IP ${desired.primaryIpv4} is in ${ip.location.name}`);
  }
  for (const name of desired.volumes) {
    const id = ctx.findId('volume', name);
    const volume = id === undefined ? undefined : await volumes.get(client, id);
    if (volume && volume.location.name !== desired.location)
      problems.push(`volume ${name} is in ${volume.location.name}`);
  }
  if (problems.length)
    throw new CloudError(
      `server ${desired.name} cannot be created in ${desired.location}: ${problems.join('; ')}. The server it would replace was left in place.`,
    );
}
