import { describe, expect, test } from 'vitest';
import { renderHtml } from '../html.js';
import { HOSTILE, fixtureInput } from '../test-fixture.js';
import { buildTimeline } from './build.js';
import { timelineFigure } from './figure.js';
import { FACTS, federationStory, idleStory } from './fixtures.js';
import { renderTimelineSvg } from './svg.js';

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('renderTimelineSvg', () => {
  const svg = renderTimelineSvg(buildTimeline(idleStory(), FACTS)!, 'tl-1');

  test('draws one group per lane, labelled, in a sized SVG', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="timeline" id="tl-1" viewBox="0 0 1000 (\d+)" width="1000" height="\1"/);
    expect(count(svg, '<g class="lane"')).toBe(6);
    for (const label of ['alice', 'bob', 'bob sees alice', 'alice: windows', 'server jobs', 'story waits for']) expect(svg).toContain(`data-label="${label}"`);
  });

  test("reads as seconds from the story's start: acts, state changes and windows carry their times", () => {
    expect(svg).toContain('>PUT online 1 s<');
    expect(svg).toContain('>message 2 s<');
    expect(svg).toContain('>online (active) 3 s<');
    expect(svg).toContain('>online 7.1 s<');
    expect(svg).toContain('>idle threshold 5 s 1 s–7 s<');
    expect(svg).toContain('>bob to see alice unavailable 3 s–12.5 s<');
    expect(svg).toContain('>12 s<');
  });

  test('hatches the currently_active span, and boxes the failing observation with its time and exchange', () => {
    expect(count(svg, 'data-currently-active="true"')).toBe(1);
    expect(svg).toMatch(/data-currently-active="true"><rect [^>]*\/><path class="hatch" d="M/);
    expect(svg).toMatch(/<g class="failing" data-seqs="10"><rect [^>]*stroke="#cf222e"/);
    expect(svg).toContain('✗ failing observation 12 s (#10)');
    expect(svg).toMatch(/<g class="deadline"><line [^>]*stroke="#cf222e"/);
  });

  test('draws each EDU of a federation link with the state it carried', () => {
    const fed = renderTimelineSvg(buildTimeline(federationStory(), {})!, 'tl-2');
    expect(fed).toContain('data-label="link 127.0.0.1:1001 -&gt; 127.0.0.1:1002"');
    expect(count(fed, '<g class="edu">')).toBe(3);
    expect(fed).toContain('>alice unavailable 0.5 s<');
    expect(fed).toMatch(/>link 127.0.0.1:1001<\/tspan><tspan x="6" y="\d+">→ 127.0.0.1:1002</);
    expect(fed).toContain('<g class="failing" data-seqs="6">');
  });

  test('escapes what the server and the story named', () => {
    const hostile = idleStory();
    hostile.exchanges = hostile.exchanges.map((x) => (x.seq === 10 ? { ...x, responseBody: { presence: HOSTILE } } : x.actor === 'bob' ? { ...x, actor: `bob${HOSTILE}` } : x));
    const out = renderTimelineSvg(buildTimeline(hostile, FACTS)!, 'tl-3');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
  });
});

describe('report.html', () => {
  test("shows the timeline of a failed story's evidence, with a caption naming the failing exchange, and none for a passing one", () => {
    const input = fixtureInput();
    const failing = input.results.requirements.find((r) => r.id === 'PRES-IDLE-AUTO')!;
    failing.tests[0]!.verdict = 'fail';
    const evidence = new Map([[failing.tests[0]!.evidence!, idleStory()]]);
    const html = renderHtml({ ...input, results: { ...input.results, target: { ...input.results.target, ...FACTS } } }, evidence);
    expect(count(html, '<figure class="timeline">')).toBe(1);
    expect(html).toContain('id="timeline-PRES-IDLE-AUTO-0"');
    expect(html).toContain('The verdict rests on exchange(s) #10 at 12 s–12 s');
    expect(html).toContain('<g class="lane" data-lane="windows"');
  });

  test('a figure for evidence without exchanges is empty', () => {
    expect(timelineFigure(idleStory({ exchanges: [] }), FACTS, 'x')).toBe('');
  });
});
