/** The figures under the plots, as a table: every number the plots draw, and those they do not. */
import { escapeHtml } from '../../reports/escape.js';
import type { BenchResults, BenchStep } from '../model.js';
import { harnessShare, measured, ms, num, percent } from './figures.js';

const COLUMNS = [
  'server', 'users', 'rooms', 'presence changes', 'deliveries', 'p50', 'p95', 'p99', 'max', 'missing', 'late', 'superseded', 'leaks', 'unshared pairs watched',
  'deadline', 'requests', '429', 'failed syncs', 'server CPU (s)', 'peak RSS (MiB)', 'harness CPU (s)', 'harness / server CPU', 'link EDUs/s', 'link bytes/s', 'duration', 'note',
] as const;

function cells(step: BenchStep): string[] {
  const l = step.latency;
  const ran = measured(step);
  const lat = (v: number) => (ran && l.count > 0 ? ms(v) : '–');
  return [
    String(step.users), String(step.rooms), String(step.presenceChanges), String(l.count),
    lat(l.p50), lat(l.p95), lat(l.p99), lat(l.max),
    String(step.missing), String(step.late), String(step.superseded), String(step.leakCount), String(step.unsharedPairs),
    ms(step.deadlineMs), String(step.requests), String(step.rateLimited), String(step.failedSyncs),
    num(step.serverCpuSeconds), num(step.serverPeakRssMiB, 0), num(step.harnessCpuSeconds), percent(harnessShare(step)),
    num(step.link?.edusPerSecond, 1), num(step.link?.bytesPerSecond, 0), ran ? ms(step.durationMs) : '–',
  ];
}

export function figuresTable(results: BenchResults): string {
  const rows: string[] = [];
  for (const target of results.targets) {
    const name = `<th scope="row">${escapeHtml(target.target)}</th>`;
    if (target.steps.length === 0) rows.push(`<tr>${name}<td colspan="${COLUMNS.length - 1}">${escapeHtml(target.error ?? 'no step ran')}</td></tr>`);
    for (const step of target.steps) {
      const note = `<td>${escapeHtml(step.error ?? '')}</td>`;
      rows.push(`<tr data-target="${escapeHtml(target.target)}">${name}${cells(step).map((c) => `<td class="n">${escapeHtml(c)}</td>`).join('')}${note}</tr>`);
    }
  }
  return [
    '<div class="table-wrap"><table id="figures">',
    `<thead><tr>${COLUMNS.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
  ].join('\n');
}
