import { escapeHtml as h } from './escape.js';
import { cellLabel, compareMatrix, passedAt, proposalCell, splitRows, type ComparedRun, type MatrixRow } from './compare-matrix.js';
import { htmlDocument } from './html-page.js';
import { TENTATIVE_NOTE } from './tentative.js';

/**
 * Renders the requirement × server matrix as one self-contained HTML page
 * (no script, no external asset, CSP-enforced); every label is escaped. The
 * tentative requirements (PRES-TENT-*) have a table of their own, with their
 * proposal and their own count, outside the per-level counts.
 */
export function renderCompareHtml(runs: ComparedRun[]): string {
  const { stable, tentative } = splitRows(compareMatrix(runs));
  const labels = runs.map((r) => `<th>${h(r.label)}</th>`).join('');
  const row = (r: MatrixRow, extra = '') => {
    const id = r.specUrl ? `<a href="${h(r.specUrl)}">${h(r.id)}</a>` : h(r.id);
    const cells = r.verdicts.map((v, i) => (v ? `<td><span class="badge ${v}">${h(cellLabel(r, i) ?? v)}</span></td>` : '<td>—</td>')).join('');
    return `<tr><th scope="row" title="${h(r.title)}">${id}</th><td>${r.level}</td>${extra}${cells}</tr>`;
  };
  const totals = (['MUST', 'SHOULD', 'MAY'] as const).map(
    (level) => `<tr><th scope="row">${level} passed</th><td></td>${runs.map((_, i) => `<td class="n">${passedAt(stable, i, level)}</td>`).join('')}</tr>`,
  );
  const tentativeTable = tentative.length
    ? [
        `<h2>Tentative requirements</h2>\n<p>${h(TENTATIVE_NOTE).replace(/`([^`]+)`/g, '<code>$1</code>')}.</p>`,
        `<table id="tentative"><thead><tr><th>Tentative requirement</th><th>Level</th><th>Proposal</th>${labels}</tr></thead><tbody>`,
        ...tentative.map((r) => row(r, `<td>${h(proposalCell(r))}</td>`)),
        `<tr><th scope="row">tentative passed</th><td></td><td></td>${runs.map((_, i) => `<td class="n">${passedAt(tentative, i)}</td>`).join('')}</tr>`,
        '</tbody></table>',
      ].join('')
    : '';
  const notes = runs.map(
    (run) => `<li>${h(run.label)}: ${h(run.results.tool.name)} ${h(run.results.tool.version)}, ${h(run.results.startedAt)}, ${h(run.results.target.kind)} target at <code>${h(run.results.target.baseUrl)}</code>${run.results.interrupted ? ' (partial: interrupted)' : ''}</li>`,
  );
  return htmlDocument(
    'Presence conformance: comparison',
    `<h1>Presence conformance: comparison</h1>\n<table id="matrix"><thead><tr><th>Requirement</th><th>Level</th>${labels}</tr></thead><tbody>${stable.map((r) => row(r)).join('')}${totals.join('')}</tbody></table>\n${tentativeTable}\n<ul>${notes.join('')}</ul>`,
  );
}
