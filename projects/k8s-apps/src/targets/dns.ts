// k8s-apps:dns — the A and AAAA records to create for the apps' hosts, from the vault's addresses.
import { dnsRecords, formatRecords } from '../dns/dns-records';
import { loadConfig, readVars } from '../k8s-apps-inputs';

export async function run(): Promise<void> {
  const { records, unknown } = dnsRecords(await loadConfig(), await readVars());
  for (const line of formatRecords(records)) console.log(line);
  if (unknown.length)
    console.log(`; no public address in the vault yet for ${unknown.join(', ')}: run infra:provision first.`);
  if (!records.length && !unknown.length) console.log('; no app in this phase has a public host.');
}
