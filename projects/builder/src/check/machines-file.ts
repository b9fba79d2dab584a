// Nix's machines file read back: eight fields a line, the host key a base64 OpenSSH public key.
// What render wrote must say what the vault says: the builder's pinned host key is the vault's.
import type { BuildMachine } from '../render/build-machines';

/** A line read back: the fields of a build machine, its URI whole, and its host key decoded. */
export type MachinesLine = Pick<
  BuildMachine,
  'systems' | 'sshKey' | 'maxJobs' | 'speedFactor' | 'supportedFeatures' | 'mandatoryFeatures'
> & {
  uri: string;
  /** The decoded host key line, or null for "-". */
  hostKey: string | null;
};

export function parseMachinesFile(text: string): { lines: MachinesLine[]; problems: string[] } {
  const lines: MachinesLine[] = [];
  const problems: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = `line ${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 8) {
      problems.push(
        `${at} has ${fields.length} fields; a machine needs 8 (uri systems key jobs speed features mandatory host-key)`,
      );
      continue;
    }
    const [uri = '', systems = '', sshKey = '', jobs = '', speed = '', features = '', mandatory = '', hostKey = ''] =
      fields;
    if (!/^ssh-ng:\/\/[a-z_][a-z0-9_-]*@[A-Za-z0-9.-]+$/.test(uri))
      problems.push(`${at}: "${uri}" is not ssh-ng://user@host`);
    if (!/^\/\S+$/.test(sshKey)) problems.push(`${at}: the key "${sshKey}" is not an absolute path`);
    if (!/^[1-9]\d*$/.test(jobs) || !/^[1-9]\d*$/.test(speed))
      problems.push(`${at}: jobs "${jobs}" and speed "${speed}" must be positive whole numbers`);
    const decoded = hostKey === '-' ? null : Buffer.from(hostKey, 'base64').toString('utf8');
    if (decoded !== null && !/^ssh-ed25519 [A-Za-z0-9+/]{68}$/.test(decoded))
      problems.push(`${at}: the host key is not the base64 of an ssh-ed25519 public key`);
    const list = (field: string) => (field === '-' ? [] : field.split(','));
    lines.push({
      uri,
      systems: systems.split(','),
      sshKey,
      maxJobs: Number(jobs),
      speedFactor: Number(speed),
      supportedFeatures: list(features),
      mandatoryFeatures: list(mandatory),
      hostKey: decoded,
    });
  }
  return { lines, problems };
}
