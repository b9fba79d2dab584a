// VolSync, from Backube's chart: the restic mover behind every per-app backup and restore.
import { chartInOwnNamespace, type PinnedChart } from '../src/render/helm-release';
import type { PlatformPart } from '../src/render/platform-context';
import { objectsOnly } from '../src/render/runtime-secrets';

export const VOLSYNC_CHART: PinnedChart = {
  repository: 'backube',
  url: 'https://backube.github.io/helm-charts/',
  chart: 'volsync',
  version: '0.11.0',
};

const volsync: PlatformPart = () =>
  objectsOnly(
    chartInOwnNamespace(VOLSYNC_CHART, { name: 'volsync', namespace: 'volsync-system', values: { manageCRDs: true } }),
  );
export default volsync;
