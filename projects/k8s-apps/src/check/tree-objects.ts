// The rendered tree read back as objects, each with the file it is in and the app or platform part
// that owns it, so every problem can name both.
import { KUSTOMIZE_API_VERSION } from '../render/flux-layout';
import type { Manifest } from '../manifest/manifest';
import { parseYamlDocuments } from '../manifest/yaml-documents';

export interface PlacedObject {
  file: string;
  /** `eth-node`, `eth-node (restore)`, `platform cert-manager`, or `flux`. */
  owner: string;
  object: Manifest;
}

export function ownerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'apps' && parts.length > 2) return parts[1]!;
  if (parts[0] === 'restore' && parts.length > 2) return `${parts[1]} (restore)`;
  if (parts[0] === 'infrastructure' && parts.length > 3) return `platform ${parts[2]}`;
  return 'flux';
}

/** Every Kubernetes object of the tree; kustomize's own files are not objects and are left out. */
export function treeObjects(files: ReadonlyMap<string, string>): PlacedObject[] {
  const placed: PlacedObject[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.yaml')) continue;
    for (const document of parseYamlDocuments(text, file)) {
      const object = document as Manifest;
      if (!object || object.apiVersion === KUSTOMIZE_API_VERSION) continue;
      placed.push({ file, owner: ownerOf(file), object });
    }
  }
  return placed;
}
