import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCli } from '../cli/args.js';
import { readAction, runAsScript } from './composite.js';
import { fakeNpm, recorded, recordingSuite } from './stand-ins.js';

interface Workflow {
  jobs: Record<string, { steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
}

const workflow = parse(await readFile(new URL('../../examples/github-actions.yml', import.meta.url), 'utf8')) as Workflow;
const action = await readAction();
const tmp: string[] = [];
afterAll(async () => Promise.all(tmp.map((dir) => rm(dir, { recursive: true, force: true }))));

/** Each job's use of the suite's action, with its `with:` as the runner hands it over (every value a string). */
const uses = Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
  steps
    .filter((step) => step.uses?.startsWith('OWNER/matrix-presence-conformance@'))
    .map((step) => ({ job, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)])) })),
);

describe('examples/github-actions.yml', () => {
  it("uses the suite's action once per job: an implementer's image, and the embedded Synapse for comparison", () => {
    expect(uses.map((u) => u.job)).toEqual(['your-server', 'synapse']);
    // The image is built before the action runs it: the suite never pulls.
    const steps = workflow.jobs['your-server']!.steps;
    expect(steps.findIndex((s) => s.run?.includes('docker build -t my-homeserver:complement'))).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('OWNER/')));
    // One artifact name per job: two jobs uploading the same name would collide.
    expect(new Set(uses.map((u) => u.with['artifact-name'] ?? action.inputs['artifact-name']?.default)).size).toBe(uses.length);
  });

  it('gives the action only its inputs, which become flags parseCli accepts', async () => {
    const runs: Record<string, ReturnType<typeof parseCli>> = {};
    for (const use of uses) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'presence-example-'));
      tmp.push(dir);
      const run = await runAsScript(action, { dir, actionPath: await recordingSuite(dir, 0), env: await fakeNpm(dir), with: use.with });
      const { argv } = recorded(run.steps.find((s) => s.name === 'Run the suite')!.stdout);
      runs[use.job] = parseCli(argv.slice(1), {});
    }
    expect(runs['your-server']).toMatchObject({
      targets: ['docker'],
      container: { image: 'my-homeserver:complement', timings: { idleTimeoutMs: 300_000, activeWindowMs: 60_000, checkIntervalMs: 5_000 } },
      maxWaitMs: null,
      expect: '.github/presence-expectations.json',
    });
    expect(runs.synapse).toMatchObject({ targets: ['synapse'] });
    // Not in the implementer's workspace: the action takes it from the suite, which has it.
    expect(runs.synapse?.expect).toBe('reports/expectations/synapse.json');
    expect(existsSync(new URL('../../reports/expectations/synapse.json', import.meta.url))).toBe(true);
  });
});
