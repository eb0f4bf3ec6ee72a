import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, matchingIds, requirementById } from './catalogue.js';

describe('catalogue', () => {
  it('holds every ID of the shared catalogue, unchanged, with its level', () => {
    const text = readFileSync(new URL('../docs/spec/presence.md', import.meta.url), 'utf8');
    const rows = [...text.matchAll(/^\| (PRES-[A-Z-]+) \| (MUST|SHOULD|MAY) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows.length).toBeGreaterThan(30);
    for (const [id, level] of rows) expect(requirementById(id!).level, id).toBe(level);
  });

  it('selects by exact ID, by prefix, and by comma-separated lists', () => {
    expect(matchingIds('PRES-FFC-PUT')).toEqual(['PRES-FFC-PUT']);
    expect(matchingIds('pres-put')).toEqual(['PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER']);
    expect(matchingIds('PRES-STATE,PRES-PUT-OTHER')).toEqual(['PRES-STATE-ENUM', 'PRES-PUT-OTHER']);
    expect(matchingIds(undefined)).toHaveLength(REQUIREMENTS.length);
    // A prefix matches whole segments only: PRES-CA is not PRES-CAT.
    expect(matchingIds('PRES-FF')).toEqual([]);
  });
});
