// config → the whole GitOps tree, as file path → YAML text. Pure and deterministic: the same
// config gives byte-identical files, and each app's files depend on that app alone.
import { CloudError, nodesInPhase, type AppConfig, type LayerConfig } from '@personal-cloud/cluster';
import { APP_MODULES } from '../../apps/index';
import { issuerName } from '../../platform/certificate-issuers';
import { CONFIGS, CONTROLLERS } from '../../platform/index';
import type { Manifest } from '../manifest/manifest';
import { toYamlDocuments } from '../manifest/yaml-documents';
import type { AppContext } from './app-context';
import { renderBackups } from './backups';
import { clusterDir, DEPLOY_KEY_SECRET, fluxSync, kustomizeFile, stageKustomizations } from './flux-layout';
import type { PlatformContext, PlatformPart } from './platform-context';
import type { RuntimeSecret } from './runtime-secrets';
import { storageTiers } from './storage-tiers';

export interface RenderedTree {
  /** Path inside the GitOps repository → file content. */
  files: Map<string, string>;
  /** The Secrets the tree references, for provision to create from the vault. */
  secrets: RuntimeSecret[];
}

/** Code-point order: the same on every machine, whatever its locale. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byNamespaceAndName = (a: Manifest, b: Manifest) =>
  byCodePoint(`${a.metadata.namespace ?? ''}/${a.metadata.name}`, `${b.metadata.namespace ?? ''}/${b.metadata.name}`);

/** The file a kind's objects go in; a Flux Kustomization must not take kustomize's own file name. */
function kindFile(kind: string): string {
  return kind === 'Kustomization' ? 'flux-kustomization.yaml' : `${kind.toLowerCase()}.yaml`;
}

/** One file per object kind, and the kustomize file listing them. */
function writeDirectory(files: Map<string, string>, dir: string, objects: readonly Manifest[]): void {
  const byKind = new Map<string, Manifest[]>();
  for (const object of objects) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
  const names: string[] = [];
  for (const [kind, group] of byKind) {
    const name = kindFile(kind);
    names.push(name);
    files.set(`${dir}/${name}`, toYamlDocuments([...group].sort(byNamespaceAndName)));
  }
  files.set(`${dir}/kustomization.yaml`, toYamlDocuments([kustomizeFile(names)]));
}

function activeApps(config: LayerConfig<'k8s-apps'>): AppConfig[] {
  return config.apps.filter((app) => app.fromPhase <= config.phase);
}

export function renderTree(config: LayerConfig<'k8s-apps'>): RenderedTree {
  if (!config.gitops)
    throw new CloudError(
      'gitops: the k8s-apps layer needs the GitOps repository Flux follows: set gitops: { url, branch, path } in the config',
    );
  const gitopsConfig = { ...config, gitops: config.gitops };
  const files = new Map<string, string>();
  const secrets: RuntimeSecret[] = [DEPLOY_KEY_SECRET];
  const tiers = storageTiers(config);
  const platform: PlatformContext = { config, tiers, nodes: nodesInPhase(config), issuer: issuerName(config.acme) };

  const cluster = clusterDir(config);
  files.set(`${cluster}/flux-system/gotk-sync.yaml`, toYamlDocuments(fluxSync(gitopsConfig)));
  files.set(`${cluster}/flux-system/kustomization.yaml`, toYamlDocuments([kustomizeFile(['gotk-sync.yaml'])]));
  const stageFiles = stageKustomizations();
  for (const [file, objects] of stageFiles) files.set(`${cluster}/${file}`, toYamlDocuments(objects));
  files.set(`${cluster}/kustomization.yaml`, toYamlDocuments([kustomizeFile(['flux-system', ...stageFiles.keys()])]));

  const renderParts = (stage: string, parts: Readonly<Record<string, PlatformPart>>) => {
    for (const [name, part] of Object.entries(parts)) {
      const rendered = part(platform);
      writeDirectory(files, `${stage}/${name}`, rendered.objects);
      secrets.push(...rendered.secrets);
    }
    files.set(`${stage}/kustomization.yaml`, toYamlDocuments([kustomizeFile(Object.keys(parts))]));
  };
  renderParts('infrastructure/controllers', CONTROLLERS);
  renderParts('infrastructure/configs', CONFIGS);

  const apps = activeApps(config);
  for (const app of apps) {
    const module = APP_MODULES[app.name];
    if (!module)
      throw new CloudError(
        `apps: "${app.name}" has no module projects/k8s-apps/apps/${app.name}.ts; allowed: ${Object.keys(APP_MODULES).sort().join(', ')}`,
      );
    const context: AppContext = { ...platform, app };
    const rendered = module(context);
    const backups = renderBackups(app, rendered.objects, tiers);
    writeDirectory(files, `apps/${app.name}`, [...rendered.objects, ...backups.sources]);
    if (backups.restore.length) writeDirectory(files, `restore/${app.name}`, backups.restore);
    secrets.push(...rendered.secrets, ...backups.secrets);
  }
  files.set('apps/kustomization.yaml', toYamlDocuments([kustomizeFile(apps.map((app) => app.name))]));
  return { files: new Map([...files].sort(([a], [b]) => byCodePoint(a, b))), secrets };
}
