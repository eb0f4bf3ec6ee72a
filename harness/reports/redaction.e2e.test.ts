/**
 * End to end: a real run of the CLI against the embedded Synapse, then a scan
 * of every file it left in the report directory for every secret of that
 * run. The secrets are learnt through the test-only sink of harness/redact.ts
 * (PRESENCE_CONFORMANCE_TEST_SECRETS_FILE), written outside the report dir.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { TEST_SECRETS_FILE_ENV } from '../redact.js';
import { resultsSchemaErrors } from './results-schema.js';
import { REPORT_FILES } from './report-folder.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let work: string | undefined;
afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('no file of a real run\'s report directory holds an access token, a password or the shared secret', async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'pc-redaction-'));
  const reportDir = path.join(work, 'report');
  const secretsFile = path.join(work, 'secrets.txt');

  const started = Date.now();
  const run = await promisify(execFile)(process.execPath, ['bin/presence-conformance.js', 'run', '--only', 'PRES-FFC', '--report-dir', reportDir], {
    cwd: ROOT,
    env: { ...process.env, [TEST_SECRETS_FILE_ENV]: secretsFile },
    maxBuffer: 32 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? '' }),
  );
  // 0: no gating failure, 1: a gating failure; either way a complete report.
  expect([0, 1], `the run ended with ${run.code}:\n${run.stderr.slice(-3000)}`).toContain(run.code);
  console.info(`CLI run --only PRES-FFC took ${Date.now() - started} ms`);

  const secrets = [...new Set((await readFile(secretsFile, 'utf8')).split('\n').filter(Boolean))];
  // The sink really saw this run's secrets: the shared secret (48 hex digits,
  // main process), Synapse access tokens and users' passwords (worker threads).
  expect(secrets.filter((s) => /^[0-9a-f]{48}$/.test(s)), 'shared secret').toHaveLength(1);
  expect(secrets.filter((s) => s.startsWith('syt_')).length, 'access tokens').toBeGreaterThanOrEqual(5);
  expect(secrets.filter((s) => !/^[0-9a-f]{48}$/.test(s) && !s.startsWith('syt_')).length, 'passwords').toBeGreaterThanOrEqual(5);

  const files = await filesUnder(reportDir);
  const names = files.map((f) => path.relative(reportDir, f));
  expect(names).toEqual(expect.arrayContaining(['results.json', 'homeserver.log', ...Object.values(REPORT_FILES)]));
  expect(names.filter((n) => n.startsWith('evidence/')).length).toBeGreaterThanOrEqual(5);

  const leaks: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const secret of secrets) if (text.includes(secret)) leaks.push(`${path.relative(reportDir, file)} contains ${secret.slice(0, 4)}…`);
  }
  expect(leaks).toEqual([]);

  // Where secrets were on the wire, the evidence shows the redaction marker instead.
  const evidence = await Promise.all(files.filter((f) => f.includes(`${path.sep}evidence${path.sep}`)).map((f) => readFile(f, 'utf8')));
  expect(evidence.join('\n')).toMatch(/"access_token": "<redacted>"/);
  expect(evidence.join('\n')).toMatch(/"password": "<redacted>"/);
  expect(resultsSchemaErrors(JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')))).toEqual([]);
}, 240_000);
