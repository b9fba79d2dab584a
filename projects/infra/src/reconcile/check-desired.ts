// Hetzner's rules for names, labels and limits, checked on the rendered resources so a breach
// is reported before the first request rather than as a 422 halfway through a run.
import { LIMITS, volumesPerServerProblem, type DesiredResource } from '@personal-cloud/cluster';

const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const NAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,61}[a-zA-Z0-9])?$/;

export function checkDesired(resources: DesiredResource[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const perGroup = new Map<string, number>();
  const perNetwork = new Map<string, number>();
  for (const r of resources) {
    const at = `${r.type} ${r.name}`;
    if (seen.has(`${r.type}/${r.name}`)) problems.push(`${at}: the name is used twice; names are unique per type`);
    seen.add(`${r.type}/${r.name}`);
    if (!NAME.test(r.name)) problems.push(`${at}: the name must be 1–63 letters, digits, "." or "-"`);
    for (const [key, value] of Object.entries(r.labels)) {
      if (!LABEL_KEY.test(key)) problems.push(`${at}: label key "${key}" is not a valid label key`);
      if (!LABEL_VALUE.test(value))
        problems.push(
          `${at}: label ${key}="${value}" is not a valid label value (≤ 63 letters, digits, "-", "_", ".")`,
        );
    }
    if (r.type === 'firewall' && r.rules.length > LIMITS.rulesPerFirewall)
      problems.push(`${at}: ${r.rules.length} rules; Hetzner allows ${LIMITS.rulesPerFirewall}`);
    if (r.type === 'volume' && (r.sizeGb < LIMITS.volumeMinGb || r.sizeGb > LIMITS.volumeMaxGb))
      problems.push(`${at}: ${r.sizeGb} GB is outside ${LIMITS.volumeMinGb}–${LIMITS.volumeMaxGb} GB`);
    if (r.type === 'server') {
      const tooManyVolumes = volumesPerServerProblem(r.volumes.length);
      if (tooManyVolumes) problems.push(`${at}: ${tooManyVolumes}`);
      if (r.placementGroup) perGroup.set(r.placementGroup, (perGroup.get(r.placementGroup) ?? 0) + 1);
      perNetwork.set(r.network.name, (perNetwork.get(r.network.name) ?? 0) + 1);
    }
  }
  for (const [group, n] of perGroup)
    if (n > LIMITS.serversPerSpreadGroup)
      problems.push(`placement_group ${group}: ${n} servers; a spread group holds ${LIMITS.serversPerSpreadGroup}`);
  for (const [network, n] of perNetwork)
    if (n > LIMITS.serversPerNetwork)
      problems.push(`network ${network}: ${n} servers; a network holds ${LIMITS.serversPerNetwork}`);
  // Our firewalls select servers by `k=v,k=v`; count how many select each server.
  const selectors = resources.flatMap((r) =>
    r.type === 'firewall' ? [r.labelSelector.split(',').map((pair) => pair.split('='))] : [],
  );
  for (const server of resources)
    if (server.type === 'server') {
      const applied = selectors.filter((pairs) => pairs.every(([k, v]) => server.labels[k!] === v)).length;
      if (applied > LIMITS.firewallsPerServer)
        problems.push(`server ${server.name}: ${applied} firewalls apply; Hetzner allows ${LIMITS.firewallsPerServer}`);
    }
  return problems;
}
