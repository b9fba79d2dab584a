// The GitOps plan as a short, coloured diff, one line per object, like the infra plan.
import pc from 'picocolors';
import type { GitopsPlan } from '../plan/gitops-plan';

const SIGNS = { add: pc.green('+'), change: pc.yellow('~'), remove: pc.red('-') } as const;

export function formatGitopsPlan(plan: GitopsPlan, remote: string): string {
  const lines = plan.changes.map(
    (c) =>
      `${SIGNS[c.action]} ${c.kind} ${pc.bold(c.namespace ? `${c.namespace}/${c.name}` : c.name)} ${pc.dim(`(${c.owner}, ${c.file})`)}`,
  );
  // kustomize's own files follow the objects; they are counted, not listed.
  const count = (action: keyof typeof SIGNS) => plan.changes.filter((c) => c.action === action).length;
  lines.push(
    plan.changes.length || plan.otherFiles.length
      ? `Plan: ${count('add')} to add, ${count('change')} to change, ${count('remove')} to remove in ${remote}${plan.otherFiles.length ? ` (and ${plan.otherFiles.length} kustomize file${plan.otherFiles.length === 1 ? '' : 's'})` : ''}.`
      : `No changes: ${remote} holds this render${plan.base ? ` (${plan.base.slice(0, 7)})` : ''}.`,
  );
  return lines.join('\n');
}
