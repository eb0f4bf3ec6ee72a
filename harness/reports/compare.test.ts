import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { compareCommand } from '../cli/commands/compare.js';
import { compareMatrix, labelRuns } from './compare-matrix.js';
import { renderCompareHtml } from './compare-html.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { fixtureResults } from './test-fixture.js';

const REAL = new URL('../../fixtures/results/synapse-ffc/results.json', import.meta.url).pathname;

function otherServer() {
  const r = fixtureResults();
  r.target.serverVersion = 'Other 2.0';
  r.requirements = r.requirements.filter((q) => q.id !== 'PRES-STATE-ENUM').map((q) => (q.id === 'PRES-FFC-PUT' ? { ...q, verdict: 'pass' as const } : q));
  return r;
}

describe('compare', () => {
  const runs = labelRuns([
    { file: 'a/results.json', results: fixtureResults() },
    { file: 'b/results.json', results: otherServer() },
  ]);

  test('builds a requirement × server matrix in catalogue order, with gaps where a run lacks a requirement', () => {
    const rows = compareMatrix(runs);
    expect(rows.map((r) => r.id)).toEqual(['PRES-STATE-ENUM', 'PRES-FFC-PUT', 'PRES-FFC-ERRCODE', 'PRES-PUT-ROUNDTRIP', 'PRES-IDLE-AUTO', 'PRES-CA-OFFERED', 'PRES-FED-SHARED']);
    expect(rows[0]!.verdicts).toEqual(['pass', undefined]);
    expect(rows[1]!.verdicts).toEqual(['fail', 'pass']);
  });

  test('labels columns by server version, adding the target kind where versions collide, and the file where both do', () => {
    expect(runs.map((r) => r.label)).toEqual([fixtureResults().target.serverVersion, 'Other 2.0']);
    const same = labelRuns([{ file: 'x/results.json', results: otherServer() }, { file: 'y/results.json', results: otherServer() }]);
    expect(same.map((r) => r.label)).toEqual(['Other 2.0 (x/results.json)', 'Other 2.0 (y/results.json)']);
    const image = otherServer();
    image.target.kind = 'docker';
    const twoWays = labelRuns([{ file: 'x/results.json', results: otherServer() }, { file: 'y/results.json', results: image }]);
    expect(twoWays.map((r) => r.label)).toEqual([`Other 2.0 (${otherServer().target.kind})`, 'Other 2.0 (docker)']);
  });

  test('renders Markdown with per-level totals and escaped labels', () => {
    const md = renderCompareMarkdown(runs);
    const lines = md.split('\n');
    expect(lines[0]).toMatch(/^\| Requirement \| Level \| Fixture .*\\\| pipe.* \| Other 2\.0 \|$/);
    expect(md).toContain('| [PRES-STATE-ENUM](https://spec.matrix.org/v1.16/client-server-api/#presence) | MUST | ✅ pass | — |');
    expect(md).toContain('| [PRES-FFC-PUT](https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3presenceuseridstatus) | MUST | ❌ fail | ✅ pass |');
    expect(md).toContain('| **MUST passed** | | 2/5 (1 skipped) | 2/4 (1 skipped) |');
    expect(md).not.toMatch(/<img|<script/);
  });

  test('renders a self-contained HTML table without script, labels escaped', () => {
    const html = renderCompareHtml(runs);
    expect(html).toContain("script-src 'none'".replace(/'/g, '&#39;'));
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;img src=x');
    expect(html.match(/<tr>/g)).toHaveLength(1 + 7 + 3);
  });
});

describe('presence-conformance compare', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-compare-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('writes compare.md and compare.html from real results files', async () => {
    const other = path.join(dir, 'other.json');
    await writeFile(other, JSON.stringify(otherServer()));
    const out = path.join(dir, 'out');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await compareCommand([REAL, other, '--out', out])).toBe(0);
    } finally {
      stderr.mockRestore();
    }
    const md = await readFile(path.join(out, 'compare.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('| Requirement | Level | Synapse 1.163.2 | Other 2.0 |');
    expect(md).toContain('| [PRES-FFC-ERRCODE](https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3presenceuseridstatus) | SHOULD | ❌ fail | ❌ fail |');
    expect(await readFile(path.join(out, 'compare.html'), 'utf8')).toContain('<th>Synapse 1.163.2</th><th>Other 2.0</th>');
  });

  test('refuses a file that is not a results.json, with exit code 2 and a line naming it', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...fixtureResults(), schemaVersion: 99 }));
    const lines: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      expect(await compareCommand([REAL, bad])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(lines.join('')).toContain(`${bad} is not a results.json of schema version 1: /schemaVersion must be equal to constant`);
  });
});
