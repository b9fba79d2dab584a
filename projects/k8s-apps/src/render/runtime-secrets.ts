// Secrets are never rendered: git holds only their names. Each part that references one declares
// it here, with where each key's value comes from, so provision can create it from the vault at
// deploy time and check can tell a declared reference from a dangling one.
import type { Manifest } from '../manifest/manifest';

/**
 * A key's value: a named entry of the vault's tokens, the public key of one (an OpenSSH private
 * key there), a value that is not secret (an S3 URL), or the GitOps remote's known_hosts (which
 * the world's remote supplies: the operator's entry for an ssh:// remote, none for a file:// one).
 */
export type SecretSource = { token: string } | { publicKeyOf: string } | { value: string } | { remote: 'knownHosts' };

export interface RuntimeSecret {
  namespace: string;
  name: string;
  keys: Record<string, SecretSource>;
  /**
   * Created by `restore`, not `provision`: its namespace (`<app>-restore`) exists only once a
   * restore makes it, and a Secret cannot be created in a namespace that does not exist.
   */
  forRestore?: true;
}

/** What an app module or a platform part renders: objects for git, and the Secrets they reference. */
export interface Rendered {
  objects: Manifest[];
  secrets: RuntimeSecret[];
}

export function objectsOnly(objects: Manifest[]): Rendered {
  return { objects, secrets: [] };
}
