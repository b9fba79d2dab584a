// The cluster's API side in the sandbox, an extension of the machine model: it answers the steps
// k8s-apps' cluster client sends (Flux's install stand-in, runtime Secrets, a reconcile), keeps its
// state under the machine world's `extensions['k8s-apps']`, and appends every step to the same
// journal with the same schema. Like the real API it answers only while etcd has quorum.
import type { MachineModel } from '../machines/machine-model';
import type { JournalEntry } from '../machines/machine-journal';
import { StepArgumentError } from '../machines/machine-steps';
import {
  CLUSTER_API_OWNER,
  emptyClusterApiState,
  type ClusterApiState,
  type FluxSource,
  type KustomizationCondition,
  type RestoreRecord,
} from './cluster-api-world';
import { GitopsBareRepo } from './gitops-bare-repo';
import { reconcileFlux } from './sandbox-flux';

export interface ClusterStepAnswer {
  step: string;
  outcome: JournalEntry['outcome'];
  message?: string;
  result?: unknown;
}

/** Which component answers each step; it stands in the journal's `node`. */
const COMPONENT: Record<string, string> = {
  'flux-install': 'kube-apiserver',
  'apply-secret': 'kube-apiserver',
  'flux-reconcile': 'source-controller',
  apply: 'kube-apiserver',
  // Hetzner's object storage is outside the cluster: it answers whatever etcd's state.
  'create-bucket': 'object-storage',
};

/** How long the sandbox's VolSync takes to restore a claim, on the sandbox's clock. */
export const RESTORE_MS = 500;

export class ClusterApiModel {
  readonly gitops: GitopsBareRepo;

  constructor(
    private readonly machines: MachineModel,
    dir: string | null,
    private readonly clock: () => number,
  ) {
    this.gitops = new GitopsBareRepo(dir);
  }

  state(): ClusterApiState {
    return { ...emptyClusterApiState(), ...this.machines.extension<ClusterApiState>(CLUSTER_API_OWNER) };
  }

  /** A ReplicationDestination's status as VolSync reports it now: running, or its last sync and the mover's result. */
  replicationDestination(namespace: string, name: string): unknown {
    const restore = this.state().restores[`${namespace}/${name}`];
    if (!restore) return null;
    if (this.clock() < restore.finishesAt)
      return { restore, status: { conditions: [{ type: 'Synchronizing', status: 'True' }] } };
    return {
      restore,
      status: {
        lastSyncTime: new Date(restore.finishesAt).toISOString(),
        lastManualSync: restore.trigger,
        lastSyncDuration: `${(restore.finishesAt - restore.startedAt) / 1000}s`,
        latestMoverStatus: { result: restore.result, logs: restore.message },
      },
    };
  }

  /** Runs one step; throws StepArgumentError for a malformed request. */
  async run(step: string, args: Record<string, unknown>): Promise<ClusterStepAnswer> {
    const node = COMPONENT[step];
    if (!node)
      throw new StepArgumentError(`there is no cluster step "${step}"; steps: ${Object.keys(COMPONENT).join(', ')}`);
    const started = this.clock();
    const answer = (outcome: JournalEntry['outcome'], message?: string, result?: unknown): ClusterStepAnswer => {
      this.journal(started, step, node, args, outcome, message);
      return { step, outcome, ...(message ? { message } : {}), ...(result === undefined ? {} : { result }) };
    };
    if (step === 'create-bucket') return answer('ok', undefined, this.createBucket(args, started));
    const view = this.machines.snapshot().cluster;
    if (!view.quorum)
      return answer(
        'unreachable',
        `the Kubernetes API does not answer: etcd has no quorum (${view.members.filter((m) => m.up).length} of ${view.members.length} members up)`,
      );
    const state = this.state();
    if (step === 'flux-install') {
      const version = text(args, 'version');
      state.flux = { version, source: fluxSource(args.source), installedAt: new Date(started).toISOString() };
      this.save(state);
      return answer('ok');
    }
    if (step === 'apply-secret') {
      if ('data' in args || 'stringData' in args)
        throw new StepArgumentError("takes a Secret's namespace, name and keys, never its values");
      const keys = args.keys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && k))
        throw new StepArgumentError('needs "keys" as a list of key names');
      const key = `${text(args, 'namespace')}/${text(args, 'name')}`;
      state.secrets[key] = [...keys].sort();
      if (typeof args.fingerprint === 'string') state.secretFingerprints[key] = args.fingerprint;
      else delete state.secretFingerprints[key];
      this.save(state);
      return answer('ok');
    }
    if (step === 'apply') return answer('ok', undefined, this.apply(state, args, started));
    // flux-reconcile
    if (!state.flux) return answer('failed', 'Flux is not installed: install it before asking it to reconcile');
    const reconciled = await reconcileFlux(state.flux.source);
    state.revision = reconciled.revision || state.revision;
    state.kustomizations = Object.fromEntries(reconciled.kustomizations.map((k) => [k.name, k]));
    this.save(state);
    for (const k of reconciled.kustomizations) this.journalKustomization(started, k);
    return answer('ok', undefined, { revision: reconciled.revision });
  }

  /** Server-side apply of plain objects (never a Secret: those go by apply-secret); a ReplicationDestination starts a restore. */
  private apply(state: ClusterApiState, args: Record<string, unknown>, now: number): { applied: string[] } {
    const objects = args.objects;
    if (!Array.isArray(objects) || !objects.length) throw new StepArgumentError('needs "objects" as a list of objects');
    const keys: string[] = [];
    for (const object of objects as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }[]) {
      if (typeof object?.kind !== 'string' || typeof object.metadata?.name !== 'string')
        throw new StepArgumentError('takes objects with a kind and metadata.name');
      if (object.kind === 'Secret')
        throw new StepArgumentError('takes no Secret: apply-secret records a Secret by its keys');
      const namespace = typeof object.metadata.namespace === 'string' ? object.metadata.namespace : '';
      const key = `${object.kind}/${namespace}/${object.metadata.name}`;
      state.applied[key] = object;
      keys.push(key);
      if (object.kind === 'ReplicationDestination')
        state.restores[`${namespace}/${object.metadata.name}`] = this.startRestore(state, namespace, object, now);
    }
    this.save(state);
    return { applied: keys };
  }

  /** S3's CreateBucket: a bucket this account owns already is success, as BucketAlreadyOwnedByYou is. */
  private createBucket(args: Record<string, unknown>, now: number): { created: boolean } {
    if ('credentials' in args || 'secretAccessKey' in args)
      throw new StepArgumentError("takes a bucket's name and endpoint, never the S3 keys");
    const name = text(args, 'name');
    // S3's bucket naming rules, as Hetzner applies them: 3–63 of a-z, 0-9, '.', '-', starting and ending alphanumeric.
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name))
      throw new StepArgumentError(`"${name}" is not a valid bucket name (3-63 of a-z, 0-9, ".", "-")`);
    const state = this.state();
    if (state.buckets[name]) return { created: false };
    state.buckets[name] = { endpoint: text(args, 'endpoint'), createdAt: new Date(now).toISOString() };
    this.save(state);
    return { created: true };
  }

  /** The restic mover needs its repository Secret in the destination's namespace; without it the restore fails, as VolSync's would. */
  private startRestore(state: ClusterApiState, namespace: string, object: unknown, now: number): RestoreRecord {
    const { metadata, spec } = object as {
      metadata: { name: string };
      spec?: {
        trigger?: { manual?: string };
        restic?: { repository?: string; destinationPVC?: string; capacity?: string; restoreAsOf?: string };
      };
    };
    const restic = spec?.restic ?? {};
    const secret = state.secrets[`${namespace}/${restic.repository}`];
    const missing = ['RESTIC_REPOSITORY', 'RESTIC_PASSWORD'].filter((key) => !secret?.includes(key));
    const failed = !restic.repository || missing.length > 0;
    return {
      namespace,
      name: metadata.name,
      claim: restic.destinationPVC ?? metadata.name,
      capacity: restic.capacity ?? null,
      asOf: restic.restoreAsOf ?? null,
      trigger: spec?.trigger?.manual ?? '',
      startedAt: now,
      finishesAt: now + RESTORE_MS,
      result: failed ? 'Failed' : 'Successful',
      message: !secret
        ? `Secret ${namespace}/${restic.repository} not found`
        : failed
          ? `Secret ${namespace}/${restic.repository} lacks ${missing.join(', ')}`
          : `restic restore of ${restic.repository}${restic.restoreAsOf ? ` as of ${restic.restoreAsOf}` : ' (latest snapshot)'} into ${restic.destinationPVC ?? metadata.name}`,
    };
  }

  private journalKustomization(at: number, k: KustomizationCondition): void {
    this.journal(
      at,
      'kustomization',
      'kustomize-controller',
      { name: k.name, revision: k.revision, dependsOn: k.dependsOn },
      k.ready ? 'ok' : 'failed',
      `${k.reason}: ${k.message}`,
    );
  }

  private journal(
    at: number,
    step: string,
    node: string,
    args: Record<string, unknown>,
    outcome: JournalEntry['outcome'],
    message?: string,
  ): void {
    this.machines.journal.append({
      at: new Date(at).toISOString(),
      step,
      node,
      args,
      outcome,
      ...(message ? { message } : {}),
      cluster: this.machines.snapshot().cluster,
    });
  }

  private save(state: ClusterApiState): void {
    this.machines.setExtension(CLUSTER_API_OWNER, state);
  }
}

function text(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || !value) throw new StepArgumentError(`needs "${name}" as a non-empty string`);
  return value;
}

function fluxSource(value: unknown): FluxSource {
  const source = (value ?? {}) as Record<string, unknown>;
  if (typeof source !== 'object') throw new StepArgumentError('needs "source": {url, branch, path}');
  return { url: text(source, 'url'), branch: text(source, 'branch'), path: text(source, 'path') };
}
