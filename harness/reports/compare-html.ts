import { escapeHtml as h } from './escape.js';
import { cellLabel, compareMatrix, passedAt, type ComparedRun } from './compare-matrix.js';
import { htmlDocument } from './html-page.js';

/**
 * Renders the requirement × server matrix as one self-contained HTML page
 * (no script, no external asset, CSP-enforced); every label is escaped.
 */
export function renderCompareHtml(runs: ComparedRun[]): string {
  const rows = compareMatrix(runs);
  const head = `<thead><tr><th>Requirement</th><th>Level</th>${runs.map((r) => `<th>${h(r.label)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((row) => {
    const id = row.specUrl ? `<a href="${h(row.specUrl)}">${h(row.id)}</a>` : h(row.id);
    const cells = row.verdicts.map((v, i) => (v ? `<td><span class="badge ${v}">${h(cellLabel(row, i) ?? v)}</span></td>` : '<td>—</td>')).join('');
    return `<tr><th scope="row" title="${h(row.title)}">${id}</th><td>${row.level}</td>${cells}</tr>`;
  });
  const totals = (['MUST', 'SHOULD', 'MAY'] as const).map(
    (level) => `<tr><th scope="row">${level} passed</th><td></td>${runs.map((_, i) => `<td class="n">${passedAt(rows, i, level)}</td>`).join('')}</tr>`,
  );
  const notes = runs.map(
    (run) => `<li>${h(run.label)}: ${h(run.results.tool.name)} ${h(run.results.tool.version)}, ${h(run.results.startedAt)}, ${h(run.results.target.kind)} target at <code>${h(run.results.target.baseUrl)}</code>${run.results.interrupted ? ' (partial: interrupted)' : ''}</li>`,
  );
  return htmlDocument(
    'Presence conformance: comparison',
    `<h1>Presence conformance: comparison</h1>\n<table id="matrix">${head}<tbody>${body.join('')}${totals.join('')}</tbody></table>\n<ul>${notes.join('')}</ul>`,
  );
}
