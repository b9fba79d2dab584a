// The platform under the apps, in Flux's two infrastructure stages: controllers (Helm charts that
// bring CRDs) before configs (objects that use them).
import type { PlatformPart } from '../src/render/platform-context';
import certManager from './cert-manager';
import certificateIssuers from './certificate-issuers';
import hcloudCsi from './hcloud-csi';
import priorityClasses from './priority-classes';
import storageTiers from './storage-tiers';
import volsync from './volsync';

export const CONTROLLERS: Readonly<Record<string, PlatformPart>> = {
  'cert-manager': certManager,
  'hcloud-csi': hcloudCsi,
  volsync,
};
export const CONFIGS: Readonly<Record<string, PlatformPart>> = {
  'certificate-issuers': certificateIssuers,
  'priority-classes': priorityClasses,
  'storage-tiers': storageTiers,
};
