// hosts:kubeconfig — merges a context for the cluster into ~/.kube/config (or $KUBECONFIG's first
// file), other contexts kept, written atomically with mode 0600; `--print` prints it instead;
// `--node=master-2` points it at another control-plane node's Tailscale name.
import type { TargetArgs } from '@personal-cloud/cluster';
import { operatorKubeconfig } from '../operator/operator-kubeconfig';

export const options = { print: { type: 'boolean' }, node: { type: 'string' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  await operatorKubeconfig({
    env: process.env,
    print: values.print === true,
    node: values.node === undefined ? undefined : String(values.node),
    out: (text) => process.stdout.write(text),
  });
}
