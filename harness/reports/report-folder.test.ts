import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { registerSecret } from '../redact.js';
import type { Results } from '../results/model.js';
import { evidencePath, REPORT_FILES, REPORT_FOLDER, writeReportFolder } from './report-folder.js';
import { resultsSchemaErrors } from './results-schema.js';
import { ERROR_EVIDENCE, FAILING_EVIDENCE, fixtureEvidence, fixtureInput, PASSING_EVIDENCE } from './test-fixture.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pc-folder-'));
  dirs.push(dir);
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

test('a full folder: results.json, every evidence file and the three reports, from memory, with registered secrets redacted once on the way out', async () => {
  const dir = await tempDir();
  const secret = 'syt_leaked_token_0123456789abcdef';
  registerSecret(secret);
  const input = fixtureInput();
  input.results.requirements[1]!.tests[0]!.message += ` token=${secret}`;
  input.results.target.baseUrl += `/?access_token=${secret}`;
  const evidence = fixtureEvidence();
  evidence.get(FAILING_EVIDENCE)!.lastObserved = { note: `saw ${secret}` };

  const written = await writeReportFolder(dir, { ...input, evidence });

  expect(await filesUnder(dir)).toEqual([FAILING_EVIDENCE, ERROR_EVIDENCE, PASSING_EVIDENCE, REPORT_FOLDER.results, ...Object.values(REPORT_FILES)].sort());
  expect(written.files.map((f) => path.relative(dir, f)).sort()).toEqual(await filesUnder(dir));
  for (const file of await filesUnder(dir)) expect(await readFile(path.join(dir, file), 'utf8'), file).not.toContain(secret);
  expect(await readFile(path.join(dir, REPORT_FILES.junit), 'utf8')).toContain('token=&lt;redacted&gt;');
  expect(written.results.requirements[1]!.tests[0]!.message).toContain('token=<redacted>');
  // The HTML shows the failing test's evidence, rendered from memory (redacted there too).
  const html = await readFile(path.join(dir, REPORT_FILES.html), 'utf8');
  expect(html).toContain('saw &lt;redacted&gt;');
  expect(html).toContain('/_matrix/client/v3/presence/%40alice%3Afixture.localhost/status');
  const results = JSON.parse(await readFile(written.resultsPath, 'utf8')) as Results;
  expect(resultsSchemaErrors(results)).toEqual([]);
  expect(results.requirements[0]!.tests[0]!.evidence).toBe(PASSING_EVIDENCE);
});

test('a results-only folder (self-check runs): results.json and the evidence of failures, no reports, and no path to evidence it did not write', async () => {
  const dir = await tempDir();
  // What an earlier full run left there must not survive beside a results-only folder.
  await writeFile(path.join(dir, REPORT_FILES.html), 'stale');
  await writeFile(path.join(dir, REPORT_FOLDER.homeserverLog), 'the target writes this');

  const written = await writeReportFolder(dir, { ...fixtureInput(), evidence: fixtureEvidence() }, 'results');

  expect(await filesUnder(dir)).toEqual([FAILING_EVIDENCE, ERROR_EVIDENCE, REPORT_FOLDER.homeserverLog, REPORT_FOLDER.results].sort());
  const results = JSON.parse(await readFile(written.resultsPath, 'utf8')) as Results;
  const paths = results.requirements.flatMap((r) => r.tests.map((t) => t.evidence)).filter(Boolean);
  expect(paths.sort()).toEqual([FAILING_EVIDENCE, ERROR_EVIDENCE].sort());
  expect(resultsSchemaErrors(results)).toEqual([]);
});

test("tests whose names differ only past the slug's length (a story's client kinds) keep an evidence file each; short names keep their plain slug", () => {
  const story = 'a client that sets itself online and then goes quiet is unavailable before it would count as disconnected';
  const fresh = evidencePath('PRES-IDLE-AUTO', `${story} (alice: 'a fresh client that never synced')`);
  const bot = evidencePath('PRES-IDLE-AUTO', `${story} (alice: 'a bot: synced once, then only sends')`);
  expect(fresh).not.toBe(bot);
  expect(fresh).toMatch(/^evidence\/PRES-IDLE-AUTO\/a-client-that-sets-itself-online-and-then-goes-quiet-is-unavailable-[a-z-]*-[0-9a-f]{8}\.json$/);
  expect(path.basename(fresh, '.json').length).toBeLessThanOrEqual(80);
  expect(evidencePath('PRES-IDLE-MANUAL', 'a user sets herself unavailable')).toBe('evidence/PRES-IDLE-MANUAL/a-user-sets-herself-unavailable.json');
});
