import { beforeAll, describe, expect, test } from 'vitest';
import { requirementById } from '../catalogue.js';
import { escapeHtml } from './escape.js';
import { renderHtml } from './html.js';
import { fixtureEvidence, fixtureInput, PASSING_ONLY_MARKER } from './test-fixture.js';

let html: string;
const article = (id: string) => html.match(new RegExp(`<article class="req" id="${id}"[\\s\\S]*?</article>`))?.[0] ?? '';

beforeAll(() => {
  html = renderHtml(fixtureInput(), fixtureEvidence());
});

describe('report.html', () => {
  test('is one self-contained page: no external asset, a CSP that forbids every fetch', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^"]+; script-src &#39;sha256-/);
    expect(html).not.toMatch(/<link\b|\bsrc=["']?(https?:|\/\/)|@import|url\(/i);
    // The only absolute links are to the spec.
    for (const [, href] of html.matchAll(/href="([^"#][^"]*)"/g)) expect(href).toMatch(/^https:\/\/spec\.matrix\.org\//);
  });

  test('shows, per area and requirement, level, verdict, the quoted spec sentence with its link, and the tests', () => {
    const sections = [...html.matchAll(/<section class="area" id="area-([^"]+)">/g)].map((m) => m[1]);
    expect(sections).toEqual(['states', 'free-for-chat', 'put', 'idle-timeout', 'currently-active', 'federation']);
    const put = article('PRES-FFC-PUT');
    expect(put).toContain('data-verdict="fail" data-level="MUST"');
    const entry = requirementById('PRES-FFC-PUT');
    expect(put).toContain(`<blockquote cite="${entry.specUrl}">`);
    expect(put).toContain('PUT status: body <code>presence</code> (required, enum online|offline|unavailable)');
    expect(put).toContain(`<a href="${entry.specUrl}">spec</a>`);
    expect(put).toContain('PUT free_for_chat is refused');
    expect(put).toContain('online stays online');
    expect(article('PRES-FFC-ERRCODE')).toContain('Expected failure: answers M_UNKNOWN; upstream issue 1234');
  });

  test('shows the recorded exchanges, violations and last observed state of failing and erroring tests only', () => {
    const put = article('PRES-FFC-PUT');
    expect(put).toContain('Evidence: 2 HTTP exchange(s), 1 violation(s), last observed state');
    expect(put).toContain('#2 alice PUT /_matrix/client/v3/presence/%40alice%3Afixture.localhost/status → 200');
    expect(put).toContain('&quot;password&quot;: &quot;&lt;redacted&gt;&quot;');
    expect(put).toMatch(/<h4>Last observed<\/h4><pre class="observed">\{\n {2}&quot;presence&quot;: &quot;free_for_chat&quot;/);
    expect(article('PRES-IDLE-AUTO')).toContain('#1 bob GET /_matrix/client/v3/sync?timeout=30000 → 0');
    expect(html).not.toContain(PASSING_ONLY_MARKER);
    expect(article('PRES-FFC-ERRCODE')).toContain('No evidence recorded');
  });

  test('carries the gate decision: regressions, errors and unexpected passes', () => {
    const banner = html.match(/<div class="banner bad" id="gate">[\s\S]*?<\/div>/)?.[0] ?? '';
    expect(banner).toContain('Gate: FAILED (exit 1)');
    expect(banner).toContain('Failing (not expected): <a href="#PRES-FFC-PUT">PRES-FFC-PUT</a>');
    expect(banner).toContain('Could not be checked: <a href="#PRES-IDLE-AUTO">');
    expect(banner).toContain('Unexpected passes (listed as expected failures, passing now): <a href="#PRES-PUT-ROUNDTRIP">');
  });

  test('says what the run assumed about the target, escaped', () => {
    const input = fixtureInput();
    input.results.target.assumptions = ['first run up to <120 s> after the run started'];
    expect(renderHtml(input, new Map())).toContain('<p class="meta assumed"><strong>Assumed:</strong> first run up to &lt;120 s&gt; after the run started</p>');
    expect(renderHtml(fixtureInput(), new Map())).not.toContain('Assumed:');
  });

  test('a run cut short says so and never shows the gate as passed', () => {
    const input = fixtureInput(false);
    input.results.interrupted = 'SIGTERM';
    input.gate = { exitCode: 0, regressions: [], unexpectedPasses: [], errors: [], notChecked: [], partlyChecked: [], flaky: [] };
    const partial = renderHtml(input, new Map());
    expect(partial).toContain('<div class="banner warn" id="interrupted"><strong>Partial results:</strong> the run was cut short (SIGTERM)');
    expect(partial).toContain('<div class="banner bad" id="gate"><strong>Gate: INCOMPLETE (the run was cut short)</strong>');
  });

  test('escapes every server-provided text: no markup of the server survives', () => {
    expect(html).not.toMatch(/<img|<script>window|onerror="/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain(escapeHtml('<img src=x onerror="window.__pwned=1">'));
  });
});
