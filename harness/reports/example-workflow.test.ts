import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseCli } from '../cli/args.js';
import { REPORT_FILES } from './report-folder.js';

const workflow = await readFile(new URL('../../examples/github-actions.yml', import.meta.url), 'utf8');

/** Each matrix entry of the workflow: its name and the `run` arguments it passes (`args:`), with the report dir the step adds. */
function matrixRuns(): Array<{ name: string; argv: string[] }> {
  const entries = [...workflow.matchAll(/- name: (\S+)\n(?:\s*#.*\n)*\s*args: (.*)\n/g)];
  expect(workflow).toContain('node bin/presence-conformance.js run ${{ matrix.args }} --report-dir "$REPORT_DIR"');
  return entries.map((m) => ({ name: m[1]!, argv: [...m[2]!.trim().split(/\s+/), '--report-dir', '$REPORT_DIR'] }));
}

describe('examples/github-actions.yml', () => {
  test('runs a matrix of targets (an implementer\'s image, the embedded Synapse and Dendrite) with flags the CLI accepts', () => {
    const runs = Object.fromEntries(matrixRuns().map(({ name, argv }) => [name, parseCli(argv, {})]));
    expect(Object.keys(runs)).toEqual(['your-image', 'synapse', 'dendrite']);
    expect(runs['your-image']).toMatchObject({
      targets: ['docker'],
      container: { image: 'my-homeserver:complement', registration: undefined, timings: { idleTimeoutMs: 300_000 } },
      maxWaitMs: null,
      expect: '$GITHUB_WORKSPACE/.github/presence-expectations.json',
      reportDir: '$REPORT_DIR',
    });
    expect(runs.synapse).toMatchObject({ targets: ['synapse'], expect: 'reports/expectations/synapse.json' });
    expect(runs.dendrite).toMatchObject({ targets: ['dendrite'], expect: 'reports/expectations/dendrite.json' });
  });

  test('uploads each target\'s report under its own name, and merges every results.json into one comparison', () => {
    expect(workflow).toContain('name: presence-report-${{ matrix.name }}');
    const compareJob = workflow.slice(workflow.indexOf('\n  compare:'));
    expect(compareJob).toMatch(/needs: presence\n\s*if: always\(\)/);
    expect(compareJob).toContain('pattern: presence-report-*');
    expect(compareJob).toContain('compare reports/presence-report-*/results.json --out compare');
    expect(compareJob).toContain('cat compare/compare.md >> "$GITHUB_STEP_SUMMARY"');
  });

  test('publishes the summary and the report dir before gating on the run\'s exit code', () => {
    const summary = workflow.indexOf(`cat "$REPORT_DIR/${REPORT_FILES.summary}" >> "$GITHUB_STEP_SUMMARY"`);
    const upload = workflow.indexOf('uses: actions/upload-artifact@v4');
    const gate = workflow.indexOf('run: exit "${{ steps.run.outputs.exit-code }}"');
    expect(summary).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(summary);
    expect(gate).toBeGreaterThan(upload);
    expect(workflow).toContain('echo "exit-code=$?" >> "$GITHUB_OUTPUT"');
    expect(workflow).toMatch(/path: \$\{\{ env\.REPORT_DIR \}\}/);
  });
});
