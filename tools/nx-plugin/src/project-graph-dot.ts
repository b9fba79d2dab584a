// The project graph that `nx graph --file=graph.json` writes, as Graphviz DOT: one box per project
// (its kind by colour, a layer's targets in their run order beneath its name), one arrow per
// dependency from the project to what it needs, drawn solid for an import and dashed for the
// layer order alone (implicitDependencies). scripts/graph-picture.ts renders it for the README.

/** The part of Nx's graph file this reads. */
export interface NxGraphFile {
  graph: {
    nodes: Record<string, { data: { tags?: string[]; targets?: Record<string, unknown> } }>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

const KIND_COLOURS: Record<string, string> = {
  layer: '#dbeafe',
  library: '#f3f4f6',
  service: '#fef3c7',
  tooling: '#ede9fe',
};
/** A layer's own targets, in the order a run goes through them; the rest (lint, test…) are left out of the picture. */
const LAYER_TARGET_ORDER = ['render', 'check', 'plan', 'provision', 'destroy', 'drift', 'cost', 'serve'];

export function projectGraphDot(file: NxGraphFile): string {
  const { nodes, dependencies } = file.graph;
  const names = Object.keys(nodes).sort();
  const lines = [
    'digraph personal_cloud {',
    '  rankdir=LR;',
    '  bgcolor="white";',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=12, color="#6b7280"];',
    '  edge [color="#374151", arrowsize=0.7];',
  ];
  for (const name of names) {
    const { tags = [], targets = {} } = nodes[name]!.data;
    const kind = Object.keys(KIND_COLOURS).find((tag) => tags.includes(tag)) ?? 'library';
    const own = LAYER_TARGET_ORDER.filter((target) => target in targets);
    // Three targets a line keeps the boxes narrow enough for the README's width.
    const rows = Array.from({ length: Math.ceil(own.length / 3) }, (_, i) => own.slice(i * 3, i * 3 + 3).join(' · '));
    const label = [`<b>${name}</b>`, ...rows.map((row) => `<font point-size="9">${row}</font>`)].join('<br/>');
    lines.push(`  ${quote(name)} [label=<${label}>, fillcolor=${quote(KIND_COLOURS[kind]!)}];`);
  }
  for (const source of names) {
    // Nx lists an import and an implicit dependency on the same project separately: draw one arrow.
    const byTarget = new Map<string, Set<string>>();
    for (const dep of dependencies[source] ?? []) {
      if (!(dep.target in nodes)) continue;
      byTarget.set(dep.target, (byTarget.get(dep.target) ?? new Set()).add(dep.type));
    }
    for (const [target, types] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const style = types.has('static') || types.has('dynamic') ? '' : ' [style=dashed]';
      // The arrow points the way work flows (cluster → infra → hosts), as the README's sketch does.
      lines.push(`  ${quote(target)} -> ${quote(source)}${style};`);
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** A DOT string (project names hold no backslash). */
function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}
