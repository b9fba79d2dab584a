// infra:plan as its own process, the way Nx runs it: it reads what provision reads and shows
// what provision will not do.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionInfra } from '../src/provision';
import { runTargetProcess, sliceWorkspace } from './support/child-target';
import { quietProgress, testCloud, type TestCloud } from './support/cloud';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe('infra:plan', () => {
  it('fails in one sentence, as provision does, when the state file is truncated', async () => {
    cloud = await testCloud({ phase: 1 });
    await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    const stateFile = join(cloud.env.CLOUD_SECRETS_DIR!, 'cluster/state.json.age');
    const whole = await readFile(stateFile, 'utf8');
    await writeFile(stateFile, whole.slice(0, Math.floor(whole.length / 2)));

    const plan = await runTargetProcess(
      'plan',
      cloud.env,
      [],
      await sliceWorkspace(join(cloud.dir, 'workspace'), cloud.env),
    ).done;
    expect(plan.code).not.toBe(0);
    expect(plan.stdout).not.toContain('No changes');
    const provision = await runTargetProcess('provision', cloud.env).done;
    expect(provision.code).not.toBe(0);
    const sentence = (stderr: string) => stderr.split('\n').find((line) => line.includes('state.json.age'));
    expect(sentence(plan.stderr)).toMatch(/truncated/);
    expect(sentence(plan.stderr)).toBe(sentence(provision.stderr));
  });

  it('shows a changed image as taking effect on reinstall, and provision shows it too but writes nothing', async () => {
    cloud = await testCloud({ phase: 1 });
    await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    await cloud.setConfig((c) => {
      for (const p of c.pools as { image?: string }[]) p.image = 'debian-12';
    });
    const plan = await runTargetProcess(
      'plan',
      cloud.env,
      [],
      await sliceWorkspace(join(cloud.dir, 'workspace'), cloud.env),
    ).done;
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      'i server pc-worker-1 (image ubuntu-24.04 → debian-12: image differs; takes effect on reinstall)',
    );
    expect(plan.stdout).not.toContain('No changes');
    const writes = cloud.sandbox.stats().writes;
    const provision = await runTargetProcess('provision', cloud.env).done;
    expect(provision.code, provision.stderr).toBe(0);
    expect(provision.stdout).toContain('image differs; takes effect on reinstall');
    expect(cloud.sandbox.stats().writes).toBe(writes);
  });
});
