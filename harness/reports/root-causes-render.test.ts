import { describe, expect, it } from 'vitest';
import { printSummary } from '../cli/summary.js';
import { gate } from '../results/gate.js';
import type { Results } from '../results/model.js';
import { referenceWithCauses } from '../results/reference-causes.fixture.js';
import { renderHtml } from './html.js';
import { renderSummaryMarkdown } from './summary-md.js';
import { fixtureInput, HOSTILE } from './test-fixture.js';

const FFC_LINE = 'the server accepts presence "free_for_chat" (not one of online, unavailable, offline) from clients';
const FFC_IDS = ['PRES-STATE-ENUM', 'PRES-FFC-PUT', 'PRES-FFC-SYNC', 'PRES-FFC-SYNC-ERRCODE', 'PRES-FFC-EMIT', 'PRES-SCHEMA-EVENT', 'PRES-SCHEMA-GET', 'PRES-TENT-SSS-UNKNOWN'];

async function tuwunel() {
  const results = await referenceWithCauses('tuwunel');
  return { results, gate: gate(results.requirements, { failOn: 'must' }) };
}

function withoutCauses(results: Results): Results {
  const copy = structuredClone(results);
  for (const r of copy.requirements) for (const t of r.tests) delete t.cause;
  return copy;
}

describe("tuwunel's free_for_chat failures, one shared cause in every report", () => {
  it('console: each grouped requirement keeps its verdict and points to the one cause line', async () => {
    const input = await tuwunel();
    const lines: string[] = [];
    printSummary(input, (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith('cause '))).toEqual([
      `cause 1, shared by 8 failing requirements (each keeps its verdict): ${FFC_LINE}: PRES-STATE-ENUM, -FFC-PUT, -FFC-SYNC, -FFC-SYNC-ERRCODE, -FFC-EMIT, -SCHEMA-EVENT, -SCHEMA-GET, -TENT-SSS-UNKNOWN`,
    ]);
    for (const id of FFC_IDS) expect(lines.find((l) => l.includes(` ${id} `) || l.endsWith(` ${id}`)), id).toMatch(new RegExp(`^ {2}FAIL .*${id}.* {2}cause 1 \\(below\\)$`));
    // A failure of another cause keeps its own reason; the inconclusive one its own.
    expect(lines.find((l) => l.includes(' PRES-PUT-ROUNDTRIP '))).toMatch(/AssertionError: .* 404/);
    expect(lines.find((l) => l.includes(' PRES-FFC-ERRCODE '))).toMatch(/^ {2}ERR .*inconclusive: PUT free_for_chat is refused/);
  });

  it('summary.md: a "Shared causes" section naming them, and each listed failure says so', async () => {
    const md = renderSummaryMarkdown(await tuwunel());
    const section = md.slice(md.indexOf('### Shared causes (1)'), md.indexOf('### MUST failures'));
    expect(section).toContain('1. **the server accepts presence "free\\_for\\_chat" (not one of online, unavailable, offline) from clients**: [PRES-STATE-ENUM](');
    for (const id of FFC_IDS) expect(section).toContain(`[${id}](`);
    expect(section).not.toContain('PRES-PUT-ROUNDTRIP');
    const item = (id: string) => md.split('\n- ').find((i) => i.includes(`[${id}](`) && !i.startsWith('#'))!;
    expect(item('PRES-FFC-PUT')).toMatch(/^❌ .*\n {2}AssertionError: .*\*\(shared cause 1\)\*$/);
    expect(item('PRES-PUT-ROUNDTRIP')).not.toContain('shared cause');
  });

  it('report.html: a section with the cause and links, and a line in each grouped requirement', async () => {
    const html = renderHtml(await tuwunel(), new Map());
    const section = html.slice(html.indexOf('<section id="root-causes">'), html.indexOf('</section>', html.indexOf('<section id="root-causes">')));
    expect(section).toContain('<li id="cause-1" data-cause="presence-outside-enum:accepted:&quot;free_for_chat&quot;"><strong>the server accepts presence &quot;free_for_chat&quot;');
    expect(section.match(/<a href="#PRES-[A-Z-]+">/g)).toHaveLength(FFC_IDS.length);
    const article = (id: string) => html.slice(html.indexOf(`<article class="req" id="${id}"`), html.indexOf('</article>', html.indexOf(`<article class="req" id="${id}"`)));
    for (const id of FFC_IDS) expect(article(id), id).toContain('<p class="cause">Shared cause <a href="#cause-1">1</a>: the server accepts presence');
    expect(article('PRES-FFC-PUT')).toContain('data-verdict="fail"');
    expect(article('PRES-PUT-ROUNDTRIP')).not.toContain('class="cause"');
  });

  it('changes no verdict, gate or exit code: presentation only', async () => {
    const input = await tuwunel();
    const bare = withoutCauses(input.results);
    expect(gate(bare.requirements, { failOn: 'must' })).toEqual(input.gate);
    expect(bare.requirements.map((r) => r.verdict)).toEqual(input.results.requirements.map((r) => r.verdict));
    // Without causes, no report groups anything.
    const lines: string[] = [];
    printSummary({ results: bare, gate: input.gate }, (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith('cause '))).toEqual([]);
    expect(renderSummaryMarkdown({ results: bare, gate: input.gate })).not.toContain('Shared causes');
    expect(renderHtml({ results: bare, gate: input.gate }, new Map())).not.toContain('root-causes');
  });

  it("escapes the server's value in summary.md and report.html", () => {
    const input = fixtureInput();
    const failing = input.results.requirements.filter((r) => r.verdict === 'fail').slice(0, 2);
    expect(failing).toHaveLength(2);
    for (const r of failing) for (const t of r.tests) if (t.verdict === 'fail') t.cause = { kind: 'presence-outside-enum', value: JSON.stringify(HOSTILE), seen: 'given' };
    const html = renderHtml(input, new Map());
    expect(html).toContain('<section id="root-causes">');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    const md = renderSummaryMarkdown(input);
    expect(md).toContain('### Shared causes (1)');
    expect(md.slice(md.indexOf('### Shared causes'), md.indexOf('### MUST'))).not.toContain('<script>');
  });
});
