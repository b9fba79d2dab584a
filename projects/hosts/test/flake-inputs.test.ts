// A flake in a git repository sees only tracked files; dist/ is ignored. nix-instantiate checks
// cannot tell, so the sources are held to it here: hosts.json arrives only as the render input.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNeeding, onPath } from '../../../tools/test-support/external-tools';
import { flakeIsolationProblems } from '../src/check/flake-isolation';
import { nixFiles } from '../src/check/nix-evaluation';
import { NIX_DIR } from './support';

const sources = () => nixFiles(NIX_DIR).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const one = (text: string) => flakeIsolationProblems(NIX_DIR, [{ path: join(NIX_DIR, 'modules/probe.nix'), text }]);

describe('the flake reads no dist/ path', () => {
  it('holds for every .nix file of the hosts layer', () => {
    expect(sources().length).toBeGreaterThanOrEqual(12);
    expect(flakeIsolationProblems(NIX_DIR, sources())).toEqual([]);
  });

  it('catches each way a module could read the render folder directly', () => {
    expect(one('{ x = import ../../../../dist/hosts/render/hosts.json; }')).toEqual([
      "modules/probe.nix names ../../../../dist/hosts/render/hosts.json, which leaves the flake's folder",
      'modules/probe.nix names ../../../../dist/hosts/render/hosts.json, under dist/',
    ]);
    expect(one('{ x = builtins.readFile "${./..}/../../../dist/hosts/render/hosts.json"; }')).toEqual([
      'modules/probe.nix has a string naming dist/ ("/../../../dist/hosts/render/hosts.json")',
      'modules/probe.nix has a string that climbs out with .. ("/../../../dist/hosts/render/hosts.json")',
    ]);
    expect(
      one('{ x = builtins.fromJSON (builtins.readFile /work/personal-cloud/dist/hosts/render/hosts.json); }'),
    ).toEqual([
      'modules/probe.nix names the absolute path /work/personal-cloud/dist/hosts/render/hosts.json, outside the flake',
      'modules/probe.nix names /work/personal-cloud/dist/hosts/render/hosts.json, under dist/',
    ]);
    expect(one('{ inputs.render.url = "path:../../../dist/hosts/render"; }')).toContain(
      "modules/probe.nix has the input path:../../../dist/hosts/render, outside the flake's folder",
    );
    expect(one('{ x = builtins.getEnv "PWD"; y = import <render>; }')).toEqual([
      'modules/probe.nix reads the environment (builtins.getEnv), which a flake cannot see',
      'modules/probe.nix uses the search path <render>, which a flake cannot see',
    ]);
  });

  it('ignores comments, and paths that stay inside the flake', () => {
    expect(
      one(
        '# reads dist/hosts/render through the render input\n{ imports = [ ./k3s.nix ../hosts-data.nix ]; x = a / b; }',
      ),
    ).toEqual([]);
  });
});

describeNeeding(
  { what: 'the `nix-instantiate` command', available: onPath('nix-instantiate') },
  'the flake’s inputs',
  () => {
    it('pins nixpkgs and disko by revision and takes the render folder as a path input', () => {
      const inputs = JSON.parse(
        execFileSync(
          'nix-instantiate',
          ['--eval', '--strict', '--json', '-E', `(import ${join(NIX_DIR, 'flake.nix')}).inputs`],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        ),
      ) as Record<string, { url: string; flake?: boolean; inputs?: unknown }>;
      expect(inputs.nixpkgs!.url).toMatch(/^github:NixOS\/nixpkgs\/[0-9a-f]{40}$/);
      expect(inputs.disko!.url).toMatch(/^github:nix-community\/disko\/[0-9a-f]{40}$/);
      expect(inputs.render).toEqual({ url: 'path:./render-unset', flake: false });
      expect(JSON.parse(readFileSync(join(NIX_DIR, 'render-unset/hosts.json'), 'utf8'))).toEqual({
        version: 1,
        unset: true,
        nodes: {},
      });
    });
  },
);
