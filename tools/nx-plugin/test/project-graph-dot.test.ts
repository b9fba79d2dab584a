import { describe, expect, it } from 'vitest';
import { findGraphviz } from '../src/graphviz-svg';
import { type NxGraphFile, projectGraphDot } from '../src/project-graph-dot';

const file: NxGraphFile = {
  graph: {
    nodes: {
      cluster: { data: { tags: ['library'], targets: { render: {}, lint: {}, test: {} } } },
      infra: { data: { tags: ['layer'], targets: { destroy: {}, render: {}, provision: {}, check: {}, plan: {} } } },
      hosts: { data: { tags: ['layer'], targets: { render: {} } } },
      'k8s-apps': { data: { tags: ['layer'], targets: {} } },
    },
    dependencies: {
      cluster: [],
      infra: [
        { source: 'infra', target: 'cluster', type: 'static' },
        { source: 'infra', target: 'npm:zod', type: 'static' },
      ],
      hosts: [
        { source: 'hosts', target: 'infra', type: 'implicit' },
        { source: 'hosts', target: 'infra', type: 'static' },
      ],
      'k8s-apps': [{ source: 'k8s-apps', target: 'hosts', type: 'implicit' }],
    },
  },
};

describe('projectGraphDot', () => {
  const dot = projectGraphDot(file);
  const arrows = dot.split('\n').filter((line) => line.includes('->'));

  it('draws one arrow per pair of projects, the way work flows, dashed where only the layer order links them', () => {
    expect(arrows).toEqual([
      '  "infra" -> "hosts";',
      '  "cluster" -> "infra";',
      '  "hosts" -> "k8s-apps" [style=dashed];',
    ]);
  });

  it('lists a project’s own targets in run order, three a line, and leaves lint and test out', () => {
    expect(dot).toContain(
      '"infra" [label=<<b>infra</b><br/><font point-size="9">render · check · plan</font><br/><font point-size="9">provision · destroy</font>>',
    );
    expect(dot).toContain('"cluster" [label=<<b>cluster</b><br/><font point-size="9">render</font>>');
    expect(dot).toContain('"k8s-apps" [label=<<b>k8s-apps</b>>');
  });
});

describe('findGraphviz', async () => {
  const render = await findGraphviz();
  it.skipIf(!render)(
    'renders the DOT to an SVG naming every project (skipped: no Graphviz renderer installed)',
    async () => {
      // Graphviz writes a hyphen as &#45;.
      const svg = (await render!(projectGraphDot(file))).replaceAll('&#45;', '-');
      expect(svg).toMatch(/^<\?xml[\s\S]*<svg /);
      for (const name of Object.keys(file.graph.nodes)) expect(svg).toContain(`>${name}</text>`);
    },
  );
});
