// hosts:failover-drill — power one control-plane server off, show that the cluster keeps going,
// power it back on and wait for Ready (`--node=master-2` to pick which; default the first).
import type { TargetArgs } from '@personal-cloud/cluster';
import { failoverDrill } from '../drill/failover-drill';

export const options = { node: { type: 'string' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  await failoverDrill({ node: values.node === undefined ? undefined : String(values.node) });
}
