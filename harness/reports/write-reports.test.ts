import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { registerSecret } from '../redact.js';
import { fixtureInput, writeFixtureEvidence } from './test-fixture.js';
import { REPORT_FILES, writeReports } from './write-reports.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

test('writes junit.xml, summary.md and report.html, redacting registered secrets that slipped into the input', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pc-write-'));
  dirs.push(dir);
  await writeFixtureEvidence(dir);
  const secret = 'syt_leaked_token_0123456789abcdef';
  registerSecret(secret);
  const input = fixtureInput();
  input.results.requirements[1]!.tests[0]!.message += ` token=${secret}`;
  input.results.target.baseUrl += `/?access_token=${secret}`;

  const written = await writeReports(dir, input);

  expect(written.map((f) => path.basename(f)).sort()).toEqual(Object.values(REPORT_FILES).sort());
  for (const file of written) {
    const text = await readFile(file, 'utf8');
    expect(text.length, file).toBeGreaterThan(500);
    expect(text, file).not.toContain(secret);
  }
  expect(await readFile(path.join(dir, REPORT_FILES.junit), 'utf8')).toContain('token=&lt;redacted&gt;');
  expect((await readdir(dir)).sort()).toEqual(['evidence', ...Object.values(REPORT_FILES)].sort());
});
