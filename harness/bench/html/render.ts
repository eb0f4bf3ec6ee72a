/**
 * bench.html: bench.json as pictures (issue 21.2). Self-contained: the plots
 * are inline SVG, the one style sheet is inline and pinned by hash in a CSP
 * that forbids every fetch; no script. Every text from bench.json (server
 * versions, errors, leak evidence) is escaped.
 */
import { htmlDocument, REPORT_CSS } from '../../reports/html-page.js';
import { escapeHtml } from '../../reports/escape.js';
import type { BenchResults } from '../model.js';
import { benchCharts } from './charts.js';
import { figuresTable } from './figures-table.js';
import { ms, num, percent, worstHarnessShare } from './figures.js';
import { renderLineChart } from './line-chart.js';
import { seriesColour } from './palette.js';

/** Above this share of the server's CPU, the harness may be part of what is measured. */
export const HARNESS_SHARE_WARNING = 0.5;

const BENCH_CSS = `${REPORT_CSS}
#plots { padding: .25rem 0; background: Canvas; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 1rem; margin: .5rem 0; }
.plots figure { margin: 0; }
svg.chart { max-width: 100%; height: auto; overflow: visible; font-family: system-ui, sans-serif; }
ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 1.25rem; padding: 0; margin: .5rem 0; }
ul.legend svg { vertical-align: middle; margin-right: .35rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; }
#figures { font-size: 12px; white-space: nowrap; }
`;

function document(title: string, body: string): string {
  return htmlDocument(title, body, undefined, BENCH_CSS);
}

function facts(pairs: Array<[string, string]>): string {
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function legend(results: BenchResults): string {
  const swatch = (colour: string, dashed: boolean) =>
    `<svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/></svg>`;
  const items = results.targets.map((t, i) => `<li data-series="${escapeHtml(t.target)}">${swatch(seriesColour(i), false)}<strong>${escapeHtml(t.target)}</strong> ${escapeHtml(t.server)}</li>`);
  items.push(`<li>${swatch('currentColor', true)}the harness's own CPU (CPU plot)</li>`);
  if (results.baseline) items.push(`<li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="currentColor" stroke-dasharray="2 3"/></svg>the harness alone, against the loopback echo server</li>`);
  return `<ul class="legend" id="legend">${items.join('')}</ul>`;
}

/** A machine busier than its CPUs: every process waits for one, and the waits are in every latency. */
function loadBanner(results: BenchResults): string {
  const m = results.machine;
  if (!(m.loadAverage > m.cpus)) return '';
  return `<div class="banner warn" id="load">The machine was busy when the bench started (load average ${escapeHtml(num(m.loadAverage))} on ${m.cpus} CPUs): ` +
    'the latencies include the wait for a CPU, the harness\'s and the server\'s alike. Compare only with figures taken under the same load.</div>';
}

function baselineBanner(results: BenchResults): string {
  const b = results.baseline ?? null;
  if (!b) return '<div class="banner warn" id="baseline">No loopback baseline was measured: the figures below include the harness\'s own latency, of unknown size.</div>';
  const at = b.users !== undefined ? ` with ${b.users} users` : '';
  return `<div class="banner good" id="baseline"><strong>The harness alone</strong> (the same bench against a loopback echo server${escapeHtml(at)}): ` +
    `p50 ${escapeHtml(ms(b.latency.p50))}, p95 ${escapeHtml(ms(b.latency.p95))}, p99 ${escapeHtml(ms(b.latency.p99))}, max ${escapeHtml(ms(b.latency.max))} over ${b.latency.count} deliveries; ` +
    `its CPU ${escapeHtml(num(b.harnessCpuSeconds))} s. A server's latency is only its own above these.</div>`;
}

function shareBanner(results: BenchResults): string {
  const lines = results.targets.map((t) => {
    const share = worstHarnessShare(t);
    return { t, share, text: `${t.target}: ${share === null ? 'server CPU not known' : `at most ${percent(share)} of the server's CPU`}` };
  });
  if (lines.length === 0) return '';
  const atOnce = results.params.targetsAtOnce ?? 1;
  const high = lines.some((l) => l.share !== null && l.share > HARNESS_SHARE_WARNING);
  return `<div class="banner ${high ? 'warn' : 'good'}" id="harness-share"><strong>The harness's CPU</strong> (same process, same steps): ${lines.map((l) => escapeHtml(l.text)).join('; ')}.` +
    `${high ? ` Above ${percent(HARNESS_SHARE_WARNING)}, the harness may limit what is measured.` : ''}` +
    `${atOnce > 1 ? escapeHtml(` With ${atOnce} servers benched side by side, the harness's CPU of a step is the whole process's, the other servers' clients included: an upper bound.`) : ''}</div>`;
}

function problems(results: BenchResults): string {
  const out: string[] = [];
  for (const t of results.targets) {
    if (t.error) out.push(`<div class="banner bad"><strong>${escapeHtml(t.target)}</strong> stopped: ${escapeHtml(t.error)}</div>`);
    const leaks = t.steps.flatMap((s) => s.leaks.map((leak) => ({ users: s.users, leak })));
    const total = t.steps.reduce((n, s) => n + s.leakCount, 0);
    if (total === 0) continue;
    out.push(`<div class="banner bad leaks" data-target="${escapeHtml(t.target)}"><strong>${escapeHtml(t.target)}: ${total} leak${total === 1 ? '' : 's'}</strong> (presence shown to users sharing no room with its subject)` +
      `<ul>${leaks.map(({ users, leak }) => `<li>${escapeHtml(leak.requirement)} at ${users} users: ${escapeHtml(leak.observer)} saw ${escapeHtml(leak.subject)} (${escapeHtml(leak.at)})<pre>${escapeHtml(leak.evidence)}</pre></li>`).join('')}</ul>` +
      `${total > leaks.length ? `<p>${total - leaks.length} more not kept.</p>` : ''}</div>`);
  }
  return out.join('\n');
}

/** The whole page for bench.json. */
export function renderBenchHtml(results: BenchResults): string {
  const m = results.machine;
  const p = results.params;
  const title = `Presence under load: ${results.targets.map((t) => t.target).join(', ') || 'no target'}`;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(`${results.startedAt} to ${results.finishedAt}`)}; each user a long-poll /sync client changing presence ${escapeHtml(num(p.presenceChangesPerMinute))} times a minute; latency is from a change's PUT to its arrival in each roommate's /sync.</p>`,
    loadBanner(results),
    baselineBanner(results),
    shareBanner(results),
    problems(results),
    '<h2>Plots</h2>',
    // One section with its legend: what the README's screenshot shows (screenshot.ts).
    `<section id="plots">${legend(results)}<div class="plots">${benchCharts(results).map((c) => `<figure>${renderLineChart(c)}</figure>`).join('\n')}</div></section>`,
    '<h2>Figures</h2>',
    figuresTable(results),
    '<h2>Machine</h2>',
    facts([
      ['CPU', `${m.cpuModel} × ${m.cpus}`],
      ['memory', `${num(m.memoryGiB, 1)} GiB`],
      ['OS', m.os],
      ['Node.js', m.node],
      ['load average at start', num(m.loadAverage)],
    ]),
    '<h2>Parameters</h2>',
    facts([
      ['users per step', p.users.join(', ')],
      ['room sizes (size:weight)', p.roomSizes],
      ['measured phase per step', `${num(p.stepSeconds, 0)} s`],
      ['presence changes per user per minute', num(p.presenceChangesPerMinute)],
      ['messages per user per minute', num(p.messagesPerMinute)],
      ['seed', String(p.seed)],
      ['bounds', `${p.maxRequests} requests, ${p.maxSeconds} s`],
      ...(p.targetsAtOnce !== undefined ? [['servers benched side by side', String(p.targetsAtOnce)] as [string, string]] : []),
      ['servers', results.targets.map((t) => `${t.target}: ${t.server}`).join('; ')],
    ]),
  ].filter((part) => part !== '').join('\n');
  return document(title, body);
}
