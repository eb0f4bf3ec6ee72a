import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseCli } from '../cli/args.js';
import { REPORT_FILES } from './report-folder.js';

const workflow = await readFile(new URL('../../examples/github-actions.yml', import.meta.url), 'utf8');

/** The `presence-conformance run` command line of the workflow, as the arguments the CLI would get. */
function commandLine(): string[] {
  const start = workflow.indexOf('node bin/presence-conformance.js run');
  expect(start, 'the workflow runs the CLI').toBeGreaterThan(0);
  const lines: string[] = [];
  for (const line of workflow.slice(start).split('\n')) {
    lines.push(line.trim().replace(/\\$/, ''));
    if (!line.trimEnd().endsWith('\\')) break;
  }
  return lines.join(' ').split(/\s+/).filter(Boolean).slice(3).map((arg) => arg.replace(/^"(.*)"$/, '$1'));
}

describe('examples/github-actions.yml', () => {
  test('runs the suite with flags the CLI accepts: an URL target, expectations, a report dir', () => {
    const options = parseCli(commandLine(), { PRESENCE_REGISTRATION_SECRET: 'from-the-environment' });
    expect(options).toMatchObject({
      targets: ['url'],
      url: { baseUrl: 'http://127.0.0.1:8008', registration: { kind: 'shared-secret', secret: 'from-the-environment' } },
      expect: '$GITHUB_WORKSPACE/.github/presence-expectations.json',
      reportDir: '$REPORT_DIR',
    });
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
