// The plan as a short, coloured diff: like `terraform plan`, one line per change.
import pc from 'picocolors';
import { summarize, type Plan } from '../reconcile/plan-types';

const SIGNS = { create: pc.green('+'), update: pc.yellow('~'), delete: pc.red('-'), replace: pc.magenta('±') } as const;

export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`${SIGNS[c.action]} ${c.type} ${pc.bold(c.name)} ${pc.dim(`(${c.action}: ${c.reason})`)}`);
    if (c.destroysData) lines.push(`    ${pc.red(`! ${c.destroysData}`)}`);
    else if (c.interrupts) lines.push(`    ${pc.yellow('! interrupts the server (one at a time per role)')}`);
  }
  for (const n of plan.notices) lines.push(`${pc.cyan('i')} ${n.type} ${pc.bold(n.name)} ${pc.dim(`(${n.text})`)}`);
  for (const o of plan.orphans)
    lines.push(`${pc.dim('?')} ${o.type} ${o.name} ${pc.dim('(not desired: an orphan, kept; --prune deletes it)')}`);
  const s = summarize(plan);
  lines.push(
    plan.changes.length
      ? `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`
      : plan.notices.length
        ? `Nothing to apply: ${plan.notices.length} difference${plan.notices.length === 1 ? '' : 's'} above take${plan.notices.length === 1 ? 's' : ''} effect only on reinstall${plan.orphans.length ? `; ${plan.orphans.length} orphan${plan.orphans.length === 1 ? '' : 's'} kept` : ''}.`
        : `No changes: the cloud matches the config${plan.orphans.length ? ` (${plan.orphans.length} orphan${plan.orphans.length === 1 ? '' : 's'} kept)` : ''}.`,
  );
  return lines.join('\n');
}
