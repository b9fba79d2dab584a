// Oxygen is asked once until something changes it: provision reads the same answer for the
// hand-back check, the running generation and the handover check, so a run that changes nothing
// makes one read-only step on Oxygen (a no-op provision is cheap everywhere). Any step that changes
// Oxygen forgets the answer, and a failed probe is not kept, so the next call asks again.
import type { OxygenExecutor, OxygenProbe, OxygenTarget } from './oxygen-executor';

export function probingOncePerChange(executor: OxygenExecutor): OxygenExecutor {
  let probed: { name: string; answer: Promise<OxygenProbe> } | undefined;
  const probe = (target: OxygenTarget): Promise<OxygenProbe> => {
    if (probed?.name !== target.name) {
      const answer = executor.probe(target);
      probed = { name: target.name, answer };
      answer.catch(() => {
        if (probed?.answer === answer) probed = undefined;
      });
    }
    return probed.answer;
  };
  const changing =
    <A extends unknown[]>(step: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      probed = undefined;
      try {
        await step(...args);
      } finally {
        probed = undefined;
      }
    };
  return {
    kind: executor.kind,
    probe,
    // The cheaper read when nothing was asked yet; the answer at hand otherwise.
    generation: async (target) =>
      probed?.name === target.name ? (await probe(target)).generation : executor.generation(target),
    deploy: changing((target, deployment) => executor.deploy(target, deployment)),
    checkCache: (target, cache) => executor.checkCache(target, cache),
    teardown: changing((target, teardown) => executor.teardown(target, teardown)),
    handover: changing((target, handover) => executor.handover(target, handover)),
    close: () => executor.close(),
  };
}
