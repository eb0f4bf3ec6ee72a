import type { Exchange } from '../story/client/recorder.js';
import type { EvidenceFile, RequirementResult, TestResult, TestRun } from '../results/model.js';
import { escapeHtml as h, oneLine } from './escape.js';
import { htmlDocument, REPORT_JS } from './html-page.js';
import { verdictsByKind } from './client-kinds.js';
import { expectedFailureLabel, proposalOf, splitTentative, taggedId, TENTATIVE_NOTE, tentativeCountsLine } from './tentative.js';
import { rootCauseGroups } from './root-causes.js';
import { rootCausesSection, sharedCauseLine } from './root-causes-html.js';
import { timelineFigure } from './timeline/figure.js';
import type { TimelineFacts } from './timeline/build.js';
import { byArea, catalogueEntry, countVerdicts, expectedReason, flakyNote, gateHeadline, notCheckedNote, VERDICTS, type ReportInput } from './report-input.js';

/** At most this many exchanges of one test are shown; the evidence file has them all. */
const MAX_EXCHANGES = 60;
const MAX_JSON_CHARS = 20_000;

/**
 * Renders `report.html`: one self-contained page (no external asset, no
 * network, CSP-enforced) with the gate's decision, counts per area, verdict
 * and level filters, and per requirement its level, verdict, the quoted spec
 * sentence with its link, and its tests; a test that failed or errored shows
 * its recorded HTTP exchanges, violations and last observed state from
 * `evidence` (keyed by the test's evidence path). All text is escaped.
 * With `--repeat`, a requirement or test whose verdict changed between runs
 * carries a FLAKY badge, and every test lists its verdict per run, with the
 * evidence file of each run.
 * The tentative requirements (PRES-TENT-*) have a section of their own after
 * the areas, with their proposal and their own counts (never in the table of
 * counts); a requirement whose tests ran as client kinds shows each kind's
 * verdict, and each test its kind. Failures that rest on one cause are
 * listed under it in "Shared causes" (harness/reports/root-causes.ts), and
 * each such requirement links to its cause.
 */
export function renderHtml(input: ReportInput, evidence: ReadonlyMap<string, EvidenceFile>): string {
  const { results } = input;
  const t = results.target;
  const { stable, tentative } = splitTentative(results.requirements);
  const body = [
    `<h1>Presence conformance: ${h(t.serverVersion)}</h1>`,
    `<p class="meta">${h(t.kind)} target at <code>${h(t.baseUrl)}</code> (server name ${h(t.serverName || 'unknown')})${t.peer ? `, federating with ${h(t.peer.serverVersion)} (server name ${h(t.peer.serverName)}: users whose IDs end in it lived there)` : ''} · ${h(results.tool.name)} ${h(results.tool.version)} · seed ${results.seed}${results.repeat ? ` · ${results.repeat} runs (--repeat)` : ''} · started ${h(results.startedAt)} · ${(results.durationMs / 1000).toFixed(1)} s</p>`,
    ...(t.assumptions ?? []).map((a) => `<p class="meta assumed"><strong>Assumed:</strong> ${h(a)}</p>`),
    results.interrupted ? `<div class="banner warn" id="interrupted"><strong>Partial results:</strong> the run was cut short (${h(results.interrupted)}); requirements not reached are skipped.</div>` : '',
    gateBanner(input),
    rootCausesSection(rootCauseGroups(results.requirements)),
    countsTable(input),
    filters(input),
    ...byArea(stable).map(
      (group) => `<section class="area" id="area-${h(group.area)}">\n<h2>${h(group.area)}</h2>\n${group.requirements.map((r) => requirement(input, r, evidence)).join('\n')}\n</section>`,
    ),
    tentative.length
      ? `<section class="area" id="area-tentative">\n<h2>Tentative requirements</h2>\n<p class="meta" id="tentative-counts">They are ${code(TENTATIVE_NOTE)}. ${h(tentativeCountsLine(tentative, input.gate))}.</p>\n${tentative.map((r) => requirement(input, r, evidence)).join('\n')}\n</section>`
      : '',
  ].filter(Boolean);
  return htmlDocument(`Presence conformance: ${t.serverVersion}`, body.join('\n'), REPORT_JS);
}

function gateBanner(input: ReportInput): string {
  const { gate } = input;
  const headline = gateHeadline(input);
  if (!gate || !headline) return '';
  const list = (label: string, ids: string[]) => (ids.length ? `<li>${label}: ${ids.map((id) => taggedId(id, (x) => `<a href="#${h(x)}">${h(x)}</a>`)).join(', ')}</li>` : '');
  const items = [
    list('Failing (not expected)', gate.regressions),
    list('Could not be checked', gate.errors),
    input.expectations ? list('Unexpected passes (listed as expected failures, passing now)', gate.unexpectedPasses) : '',
  ].join('');
  const unchecked = notCheckedNote(input, (id) => `<a href="#${h(id)}">${h(id)}</a>`);
  const expected = input.expectations ? ` · expectations for ${h(input.expectations.server)}: ${input.expectations.expectedFailures.length} known failure(s)` : '';
  // Requirements the wait budget left unchecked keep a passing gate from looking green.
  const cls = headline.ok ? (gate.unexpectedPasses.length || unchecked || flakyNote(input) ? 'warn' : 'good') : 'bad';
  const flaky = flakyNote(input, (id) => `<a href="#${h(id)}">${h(id)}</a>`);
  const note = `${unchecked ? `<p id="not-checked">Not checked: ${unchecked}.</p>` : ''}${flaky ? `<p id="flaky">Flaky: ${flaky}.</p>` : ''}`;
  return `<div class="banner ${cls}" id="gate"><strong>Gate: ${h(headline.text)}</strong>${expected}${items ? `<ul>${items}</ul>` : ''}${note}</div>`;
}

function countsTable(input: ReportInput): string {
  const { stable } = splitTentative(input.results.requirements);
  const row = (name: string, requirements: RequirementResult[]) => {
    const counts = countVerdicts(requirements);
    return `<tr><th scope="row">${name}</th>${VERDICTS.map((v) => `<td class="n">${counts[v]}</td>`).join('')}</tr>`;
  };
  return [
    '<table id="counts"><thead><tr><th>Area</th>',
    VERDICTS.map((v) => `<th>${v}</th>`).join(''),
    '</tr></thead><tbody>',
    // The stable catalogue's counts: the tentative section counts its own.
    ...byArea(stable).map((g) => row(`<a href="#area-${h(g.area)}">${h(g.area)}</a>`, g.requirements)),
    row('all', stable),
    '</tbody></table>',
  ].join('');
}

function filters(input: ReportInput): string {
  const counts = countVerdicts(input.results.requirements);
  const levels = [...new Set(input.results.requirements.map((r) => r.level))];
  const box = (name: string, value: string, label: string) => `<label><input type="checkbox" name="${name}" value="${h(value)}" checked> ${label}</label>`;
  return [
    '<form id="filters" hidden>',
    `<fieldset><legend>Verdict</legend>${VERDICTS.map((v) => box('verdict', v, `${v} (${counts[v]})`)).join(' ')}</fieldset>`,
    `<fieldset><legend>Level</legend>${levels.map((l) => box('level', l, h(l))).join(' ')}</fieldset>`,
    '<output id="shown"></output>',
    '</form>',
  ].join('');
}

function requirement(input: ReportInput, r: RequirementResult, evidence: ReadonlyMap<string, EvidenceFile>): string {
  const entry = catalogueEntry(r.id);
  const expected = expectedReason(input, r.id);
  const proposal = proposalOf(r);
  const label = expectedFailureLabel(r.id);
  return [
    `<article class="req" id="${h(r.id)}" data-verdict="${h(r.verdict)}" data-level="${h(r.level)}"${r.flaky ? ' data-flaky="true"' : ''}${proposal ? ' data-tentative="true"' : ''}>`,
    `<header><span class="badge ${h(r.verdict)}">${h(r.verdict.toUpperCase())}${r.notChecked ? ` (${h(r.notChecked)})` : ''}</span>${r.flaky ? ` ${flakyBadge(r.runs)}` : ''} <span class="badge level">${h(r.level)}</span>${proposal ? ` <span class="badge level proposal">${h(proposal.msc)} · ${h(proposal.status)}</span>` : ''} <h3><a href="#${h(r.id)}">${h(r.id)}</a></h3></header>`,
    `<p class="title">${code(r.title)}</p>`,
    entry ? `<blockquote cite="${h(entry.specUrl)}">${code(entry.quote)} <a href="${h(entry.specUrl)}">${proposal ? 'proposal' : 'spec'}</a></blockquote>` : '',
    sharedCauseLine(rootCauseGroups(input.results.requirements), r),
    expected === undefined ? '' : `<p class="expected">${h(label.charAt(0).toUpperCase() + label.slice(1))}: ${h(expected)}</p>`,
    kinds(r),
    `<ul class="tests">${r.tests.map((t, i) => test(t, evidence, input.results.target, `timeline-${r.id}-${i}`)).join('')}</ul>`,
    '</article>',
  ].join('\n');
}

/** Each client kind's verdict on the requirement (which client path passes and which fails), when its tests named kinds. */
function kinds(r: RequirementResult): string {
  const byKind = verdictsByKind(r);
  if (!byKind.length) return '';
  return `<p class="kinds">By client kind: ${byKind.map((k) => `<span class="badge ${h(k.verdict)}" data-kind="${h(k.kind)}">${h(k.kind)}: ${h(k.verdict)}</span>`).join(' ')}</p>`;
}

/** A test with, when it failed or errored, its story's timeline (`facts`: the target's declared timings; `timelineId` unique in the page) and evidence. */
function test(t: TestResult, evidence: ReadonlyMap<string, EvidenceFile>, facts: TimelineFacts, timelineId: string): string {
  const failed = t.verdict === 'fail' || t.verdict === 'error';
  const recorded = t.evidence ? evidence.get(t.evidence) : undefined;
  const parts = [
    `<li class="test" data-verdict="${h(t.verdict)}"${t.flaky ? ' data-flaky="true"' : ''}><span class="badge ${h(t.verdict)}">${h(t.verdict)}</span>${t.flaky ? ` ${flakyBadge(t.runs)}` : ''}${t.clientKind ? ` <span class="badge level kind">${h(t.clientKind)}</span>` : ''} ${h(t.name)} <span class="dur">${t.durationMs} ms</span>`,
    t.message ? (failed ? `<pre class="message">${h(t.message)}</pre>` : ` — <span class="note">${h(oneLine(t.message))}</span>`) : '',
    t.runs ? runList(t.runs) : '',
    failed && recorded ? timelineFigure(recorded, facts, timelineId) : '',
    failed ? evidenceDetails(t, recorded) : '',
    '</li>',
  ];
  return parts.join('');
}

function flakyBadge(runs: readonly { verdict: string }[] | undefined): string {
  return `<span class="badge flaky" title="verdict changed between runs">FLAKY ${h((runs ?? []).map((r) => r.verdict).join(', '))}</span>`;
}

/** Each run's verdict of a test (`--repeat`), with its message and its own evidence file. */
function runList(runs: readonly TestRun[]): string {
  const item = (r: TestRun) => `<li><span class="badge ${h(r.verdict)}">run ${r.run}: ${h(r.verdict)}</span>${r.message ? ` <span class="note">${h(oneLine(r.message, 200))}</span>` : ''}${r.evidence ? ` <code>${h(r.evidence)}</code>` : ''}</li>`;
  return `<ul class="runs">${runs.map(item).join('')}</ul>`;
}

function evidenceDetails(t: TestResult, recorded: EvidenceFile | undefined): string {
  if (!recorded) return `<p class="dur">No evidence recorded${t.evidence ? ` (${h(t.evidence)} missing)` : ''}.</p>`;
  const exchanges = recorded.exchanges ?? [];
  const shown = exchanges.slice(-MAX_EXCHANGES);
  const omitted = exchanges.length - shown.length;
  const violations = recorded.violations ?? [];
  return [
    `<details class="evidence"><summary>Evidence: ${exchanges.length} HTTP exchange(s)${violations.length ? `, ${violations.length} violation(s)` : ''}${recorded.lastObserved === undefined ? '' : ', last observed state'} — <code>${h(t.evidence ?? '')}</code></summary>`,
    recorded.lastObserved === undefined ? '' : `<h4>Last observed</h4><pre class="observed">${json(recorded.lastObserved)}</pre>`,
    violations.length ? `<h4>Violations</h4><ul>${violations.map((v) => `<li>${h(v.requirementId)} in exchange #${v.exchangeSeq}: ${h(v.message)}<pre>${json(v.payload)}</pre></li>`).join('')}</ul>` : '',
    `<h4>HTTP exchanges</h4>${omitted ? `<p class="dur">${omitted} earlier exchange(s) omitted; see the evidence file.</p>` : ''}`,
    shown.map(exchange).join(''),
    '</details>',
  ].join('');
}

function exchange(x: Exchange): string {
  return [
    `<div class="exchange" data-seq="${x.seq}"><div class="line">#${x.seq} ${h(x.actor)} ${h(x.method)} ${h(x.path)} → ${x.status} · ${x.durationMs} ms · ${h(x.startedAt)}</div>`,
    x.requestBody === undefined ? '' : `<pre class="request">${json(x.requestBody)}</pre>`,
    x.responseBody === undefined ? '' : `<pre class="response">${json(x.responseBody)}</pre>`,
    '</div>',
  ].join('');
}

function json(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? String(value);
  return h(text.length > MAX_JSON_CHARS ? `${text.slice(0, MAX_JSON_CHARS)}\n… (${text.length - MAX_JSON_CHARS} more characters in the evidence file)` : text);
}

/** Escapes catalogue text, then shows its `code` spans as code. */
function code(text: string): string {
  return h(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
