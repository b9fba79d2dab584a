// Batch work (analysis) yields to everything else: a negative priority that never preempts.
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { built } from '../src/manifest/manifest';
import type { PlatformPart } from '../src/render/platform-context';
import { objectsOnly } from '../src/render/runtime-secrets';

export const BEST_EFFORT_PRIORITY = 'best-effort';

const priorityClasses: PlatformPart = () =>
  objectsOnly([
    built(
      new PriorityClass({
        metadata: { name: BEST_EFFORT_PRIORITY },
        value: -100,
        globalDefault: false,
        preemptionPolicy: 'Never',
        description: 'Burst work that runs only on capacity nothing else wants; it never preempts.',
      }),
    ),
  ]);
export default priorityClasses;
