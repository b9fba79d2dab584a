// What a restore applies: the app's ReplicationDestinations as render wrote them under
// restore/<app>/, with this run's trigger, the snapshot time asked for (`restoreAsOf`), and either
// the scratch namespace `<app>-restore` (a new claim beside the app) or, in place, the app's own
// namespace with each destination restoring into the app's existing claim (`destinationPVC`).
// Pure: the objects and the Secrets their mover needs.
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';
import { treeObjects } from '../check/tree-objects';
import { ReplicationDestination } from '../manifest/crds/volsync';
import type { Manifest } from '../manifest/manifest';
import type { RenderedTree } from '../render/render-tree';
import type { RuntimeSecret } from '../render/runtime-secrets';

export interface RestoreRequest {
  app: string;
  /** RFC 3339; null for the newest snapshot. */
  asOf: string | null;
  inPlace: boolean;
  /** The manual trigger's value for this run; unique per run, so VolSync syncs again. */
  trigger: string;
}

export interface RestorePlan {
  namespace: string;
  /** The namespace (unless in place), then the ReplicationDestinations. */
  objects: Manifest[];
  destinations: { name: string; claim: string; capacity: string; storageClass: string; repository: string }[];
  secrets: RuntimeSecret[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function planRestore(config: LayerConfig<'k8s-apps'>, tree: RenderedTree, request: RestoreRequest): RestorePlan {
  const byApp = new Map<string, Manifest[]>();
  for (const placed of treeObjects(tree.files)) {
    const app = /^restore\/([^/]+)\//.exec(placed.file)?.[1];
    if (app) byApp.set(app, [...(byApp.get(app) ?? []), placed.object]);
  }
  const restorable = [...byApp.keys()].sort();
  if (!byApp.has(request.app))
    throw new CloudError(
      `--app=${request.app}: ${config.apps.some((a) => a.name === request.app) ? 'that app declares no backup in this phase' : 'no such app in the config'}; apps with backups: ${restorable.join(', ') || 'none'}.`,
    );
  if (request.asOf !== null && (!RFC3339.test(request.asOf) || Number.isNaN(Date.parse(request.asOf))))
    throw new CloudError(`--as-of must be an RFC 3339 time such as 2026-12-01T03:00:00Z, not "${request.asOf}".`);
  const rendered = byApp.get(request.app)!;
  const namespace = request.inPlace ? request.app : rendered.find((o) => o.kind === 'Namespace')!.metadata.name!;
  const destinations: RestorePlan['destinations'] = [];
  const objects: Manifest[] = request.inPlace ? [] : rendered.filter((o) => o.kind === 'Namespace');
  for (const object of rendered.filter((o) => o.kind === 'ReplicationDestination')) {
    const spec = object.spec as {
      restic: Record<string, unknown> & { repository: string; capacity: string; storageClassName: string };
    };
    const name = object.metadata.name!;
    objects.push(
      ReplicationDestination.build({
        metadata: { ...object.metadata, name, namespace },
        spec: {
          trigger: { manual: request.trigger },
          restic: {
            ...(spec.restic as object),
            ...(request.asOf ? { restoreAsOf: request.asOf } : {}),
            ...(request.inPlace ? { destinationPVC: name } : {}),
          },
        } as never,
      }),
    );
    destinations.push({
      name,
      claim: name,
      capacity: spec.restic.capacity,
      storageClass: spec.restic.storageClassName,
      repository: spec.restic.repository,
    });
  }
  const repositories = new Set(destinations.map((d) => d.repository));
  // The scratch namespace's copies of the repository Secrets, or in place the app's own.
  const secrets = tree.secrets.filter((s) => s.namespace === namespace && repositories.has(s.name));
  return { namespace, objects, destinations, secrets };
}
