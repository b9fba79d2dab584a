// The builder's Kubernetes workload (managedBy: 'kubernetes'): pinned to Oxygen, tolerating its
// taints, on the unit's /nix, with the host key from the Secret; rendered only when it can run.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { nodesInPhase } from '@personal-cloud/cluster';
import { renderBuilder } from '../src/render/render-builder';
import { builderConfig, builderVars, NIXPKGS } from './fixtures';

const render = (managedBy: 'systemd' | 'kubernetes') => {
  const config = builderConfig(4, (raw) => {
    raw.oxygen!.builder.managedBy = managedBy;
  });
  return renderBuilder({ config, nodes: nodesInPhase(config), vars: builderVars(), nixpkgs: NIXPKGS }).files;
};

describe('the builder workload', () => {
  it('is a Deployment pinned to Oxygen with its toleration, hostPath /nix and the host key Secret', () => {
    const [namespace, deployment] = parseAllDocuments(render('kubernetes')['kubernetes/builder-workload.yaml']!).map(
      (d) => d.toJS(),
    );
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'personal-cloud-builder' } });
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'oxygen' });
    expect(pod.tolerations).toEqual([
      { key: 'personal-cloud/builder', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(pod.volumes.slice(0, 2)).toEqual([
      {
        name: 'nix',
        hostPath: { path: '/var/lib/containers/storage/volumes/personal-cloud-builder-nix/_data', type: 'Directory' },
      },
      {
        name: 'keys',
        secret: {
          secretName: 'nix-builder-keys',
          items: [
            { key: 'ssh_host_ed25519_key', path: 'ssh_host_ed25519_key', mode: 384 },
            { key: 'attic-config.toml', path: 'attic/config.toml', mode: 384 },
          ],
        },
      },
    ]);
    const [builder, push] = pod.containers;
    expect(builder).toMatchObject({
      image: 'localhost/personal-cloud-builder:1',
      imagePullPolicy: 'Never',
      securityContext: { privileged: true },
      resources: { limits: { cpu: '6', memory: '16Gi' } },
    });
    expect(builder.volumeMounts.slice(0, 2)).toEqual([
      { name: 'nix', mountPath: '/nix' },
      { name: 'keys', mountPath: '/run/builder-keys', readOnly: true },
    ]);
    expect(push.command).toEqual(['/opt/attic/bin/attic', 'watch-store', 'pc:pc']);
  });

  // The config refuses managedBy: 'kubernetes' without the worker role (validate-config.ts).
  it('is not rendered for a builder its unit manages', () => {
    expect(render('systemd')['kubernetes/builder-workload.yaml']).toBeUndefined();
  });
});
