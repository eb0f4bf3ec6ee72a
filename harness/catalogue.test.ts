import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, matchingIds, requirementById, type Requirement } from './catalogue.js';
import { CATALOGUE_MD, catalogueRows } from './catalogue-ids.js';
import type { RequirementId } from './requirement-ids.js';

// docs/spec/presence.md is the one source of the requirements; harness/catalogue.ts
// and every committed copy of its facts (README's table, expectations, reference
// results) are held to it here.
const MD = readFileSync(CATALOGUE_MD, 'utf8');
const ROWS = catalogueRows(MD);
const file = (relative: string) => readFileSync(new URL(`../${relative}`, import.meta.url), 'utf8');
const byId = (id: string): Requirement | undefined => REQUIREMENTS.find((r) => r.id === id);

/** The "Normative text" section, flattened: the spec sentences the catalogue may quote. */
function normativeText(markdown: string): string {
  const section = /## Normative text[^\n]*\n([\s\S]*?)\n## /.exec(markdown)?.[1] ?? '';
  return flatten(section);
}

/** The "Tentative requirements" section, flattened: the proposals' (MSCs') quoted text, which tentative requirements quote. */
function tentativeText(markdown: string): string {
  const section = /## Tentative requirements[^\n]*\n([\s\S]*?)\n## /.exec(markdown)?.[1] ?? '';
  return flatten(section);
}

/** Whitespace collapsed and the notes' typography (`"` around quotes, a space before a colon) dropped. */
function flatten(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/"/g, '').replace(/` :/g, '`:').trim();
}

/** A catalogue quote's fragments: it joins spec sentences with ` / ` and elides with `[...]`. */
function fragments(quote: string): string[] {
  return flatten(quote).split(/ \/ | \[\.\.\.\] /).map((f) => f.trim());
}

describe('catalogue', () => {
  it('is the table of docs/spec/presence.md: the same IDs in the same order, each with its level and statement as title', () => {
    expect(ROWS.length).toBeGreaterThan(30);
    expect(REQUIREMENTS.map(({ id, level, title, tentative }) => ({ id, level, statement: title, ...(tentative ? { msc: tentative.msc, status: tentative.status } : {}) }))).toEqual(ROWS);
    // Exactly the PRES-TENT-* rows are tentative, and they are the area `tentative`.
    for (const r of REQUIREMENTS) expect({ id: r.id, tentative: r.tentative !== undefined, area: r.area === 'tentative' }).toEqual({ id: r.id, tentative: r.id.startsWith('PRES-TENT-'), area: r.id.startsWith('PRES-TENT-') });
  });

  it("quotes only the spec's words as the notes' normative text section gives them", () => {
    const normative = normativeText(MD);
    expect(normative.length).toBeGreaterThan(1000);
    for (const r of REQUIREMENTS.filter((q) => !q.tentative)) {
      for (const fragment of fragments(r.quote)) expect(normative, `${r.id}'s quote: ${fragment}`).toContain(fragment);
    }
  });

  it("tentative requirements quote their own proposal's words as the notes' tentative section gives them (and may add the spec's)", () => {
    const proposals = tentativeText(MD);
    const normative = normativeText(MD);
    expect(proposals.length).toBeGreaterThan(500);
    for (const r of REQUIREMENTS.filter((q) => q.tentative)) {
      let fromProposal = 0;
      for (const fragment of fragments(r.quote)) {
        // A fragment of the proposal opens with its attribution, "MSC4186 `set_presence`: ...": the requirement's own MSC.
        const attributed = /^(MSC\d+)[^:]*: (.*)$/.exec(fragment);
        if (attributed) {
          expect(attributed[1], `${r.id}'s quote names its own proposal`).toBe(r.tentative!.msc);
          expect(proposals, `${r.id}'s quote: ${fragment}`).toContain(attributed[2]);
          fromProposal++;
        } else expect(normative, `${r.id}'s quote: ${fragment}`).toContain(fragment);
      }
      expect(fromProposal, `${r.id} quotes its proposal`).toBeGreaterThan(0);
    }
  });

  it('links each requirement into the spec version the notes quote, at an anchor', () => {
    const version = /Matrix specification (v\d+\.\d+)/.exec(MD)?.[1];
    expect(version).toBeDefined();
    for (const r of REQUIREMENTS.filter((q) => !q.tentative)) {
      expect(r.specUrl, r.id).toMatch(new RegExp(`^https://spec\\.matrix\\.org/${version!.replace('.', '\\.')}/(client-server|server-server)-api/#[a-z0-9_-]+$`));
    }
    // The module's own address, as the notes give it, is one of them.
    const moduleUrl = /\((https:\/\/spec\.matrix\.org\/[^)]+)\)/.exec(MD)?.[1];
    expect(REQUIREMENTS.map((r) => r.specUrl)).toContain(moduleUrl);
  });

  it("links each tentative requirement to its proposal's pull request", () => {
    const tentative = REQUIREMENTS.filter((r) => r.tentative);
    expect(tentative.length).toBeGreaterThan(0);
    for (const r of tentative) expect(r.specUrl, r.id).toBe(`https://github.com/matrix-org/matrix-spec-proposals/pull/${r.tentative!.msc.replace(/^MSC/, '')}`);
  });

  it("the notes' own remarks on levels agree with their table", () => {
    const remarks = [...MD.matchAll(/^- (PRES-[A-Z-]+) \((MUST|SHOULD|MAY)\b/gm)];
    expect(remarks.length).toBeGreaterThan(0);
    for (const [, id, level] of remarks) expect(ROWS.find((row) => row.id === id)?.level, id).toBe(level);
  });

  it('tables of the docs that give a requirement a level give it its catalogue level', () => {
    const docs = ['README.md', ...readdirSync(new URL('../docs/', import.meta.url), { recursive: true, encoding: 'utf8' }).map((f) => `docs/${f}`)]
      .filter((f) => f.endsWith('.md') && f !== 'docs/spec/presence.md');
    let rows = 0;
    for (const doc of docs) {
      for (const [, id, level] of file(doc).matchAll(/^\| \[?(PRES-[A-Z-]+[A-Z])\]?(?:\([^)]*\)|\[\d+\])? \| (MUST|SHOULD|MAY) \|/gm)) {
        rows += 1;
        expect(level, `${doc}: ${id}`).toBe(byId(id!)?.level);
      }
    }
    expect(rows).toBeGreaterThan(REQUIREMENTS.length);
  });

  it("README's results tables, and docs/results.md's, link each requirement to its spec URL at its level", () => {
    // The README's compact table links through reference links ([ID][n], `[n]: url` once each); docs/results.md's inline.
    for (const doc of ['README.md', 'docs/results.md']) {
      const text = file(doc);
      const refs = new Map([...text.matchAll(/^\[(\d+)\]: (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      const rows = [...text.matchAll(/^\| \[(PRES-[A-Z-]+)\](?:\(([^)]+)\)|\[(\d+)\]) \| (MUST|SHOULD|MAY) \|/gm)];
      expect(rows.map((m) => m[1]), doc).toEqual(REQUIREMENTS.map((r) => r.id));
      for (const [, id, url, ref, level] of rows) expect({ id, url: url ?? refs.get(ref!), level }, doc).toEqual({ id, url: byId(id!)?.specUrl, level: byId(id!)?.level });
    }
  });

  it("README's map of suites names only catalogue IDs (suffixes such as -ERRCODE extend the row's first ID)", () => {
    const table = [...file('README.md').matchAll(/^\| `suites\/[^|]*\| (.*) \|$/gm)].map((m) => m[1]!);
    expect(table.length).toBeGreaterThan(5);
    const named = new Set<string>();
    for (const cell of table) {
      let prefix = '';
      for (const item of cell.split(', ')) {
        const word = /^(PRES-[A-Z-]+[A-Z]|-[A-Z-]+[A-Z])/.exec(item)?.[1];
        if (!word) continue;
        if (word.startsWith('PRES-')) prefix = word.split('-').slice(0, 2).join('-');
        named.add(word.startsWith('PRES-') ? word : `${prefix}${word}`);
      }
    }
    expect([...named].sort()).toEqual(REQUIREMENTS.map((r) => r.id).sort());
  });

  it('the docs name only catalogue IDs, or prefixes of them that --only takes (PRES-X is the docs\' placeholder)', () => {
    const docs = ['README.md', ...readdirSync(new URL('../docs/', import.meta.url), { recursive: true, encoding: 'utf8' }).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md'));
    for (const doc of docs) {
      for (const [token] of file(doc).matchAll(/PRES-[A-Z]+(?:-[A-Z]+)*/g)) {
        if (token !== 'PRES-X') expect(matchingIds(token), `${doc}: ${token}`).not.toEqual([]);
      }
    }
  });

  it('expectations files name catalogue IDs at their catalogue level', () => {
    const dir = new URL('../reports/expectations/', import.meta.url);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const { expectedFailures } = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { expectedFailures: Array<{ id: string; level?: string }> };
      for (const { id, level } of expectedFailures) expect({ id, level }, name).toEqual({ id, level: byId(id)?.level });
    }
  });

  it('committed results (reference results, fixtures) carry each requirement with its catalogue level, area and title', () => {
    const files = ['reports/reference', 'fixtures/results'].flatMap((root) =>
      readdirSync(new URL(`../${root}/`, import.meta.url)).map((dir) => `${root}/${dir}/results.json`),
    );
    expect(files.length).toBeGreaterThan(3);
    for (const path of files) {
      const { requirements } = JSON.parse(file(path)) as { requirements: Array<{ id: string; level: string; area: string; title: string }> };
      for (const { id, level, area, title } of requirements) {
        const r = byId(id);
        expect({ id, level, area, title }, path).toEqual({ id, level: r?.level, area: r?.area, title: r?.title });
      }
    }
  });

  it('selects by exact ID, by prefix, and by comma-separated lists', () => {
    expect(matchingIds('PRES-FFC-PUT')).toEqual(['PRES-FFC-PUT']);
    expect(matchingIds('pres-put')).toEqual(['PRES-PUT-ROUNDTRIP', 'PRES-PUT-OTHER']);
    expect(matchingIds('PRES-STATE,PRES-PUT-OTHER')).toEqual(['PRES-STATE-ENUM', 'PRES-PUT-OTHER']);
    expect(matchingIds(undefined)).toHaveLength(REQUIREMENTS.length);
    // A prefix matches whole segments only: PRES-CA is not PRES-CAT.
    expect(matchingIds('PRES-FF')).toEqual([]);
    // The tentative area as a whole, and one proposal of it.
    expect(matchingIds('PRES-TENT')).toEqual(REQUIREMENTS.filter((r) => r.tentative).map((r) => r.id));
    expect(matchingIds('pres-tent-busy')).toEqual(['PRES-TENT-BUSY-SET', 'PRES-TENT-BUSY-NOT-IDLED', 'PRES-TENT-BUSY-REFUSED']);
  });

  it('looks a requirement up by its typed ID', () => {
    const id: RequirementId = 'PRES-CA-OFFERED';
    expect(requirementById(id).level).toBe('MAY');
  });
});
