import type { RequirementResult } from '../results/model.js';
import { escapeHtml as h } from './escape.js';
import { groupOf, type RootCauseGroup } from './root-causes.js';

/** report.html's "Shared causes": each cause, numbered and anchored (`cause-N`), with links to the failing requirements that rest on it. */
export function rootCausesSection(groups: readonly RootCauseGroup[]): string {
  if (!groups.length) return '';
  const item = (g: RootCauseGroup, i: number) =>
    `<li id="cause-${i + 1}" data-cause="${h(g.key)}"><strong>${h(g.text)}</strong>: ${g.requirements.map((id) => `<a href="#${h(id)}">${h(id)}</a>`).join(', ')}</li>`;
  return `<section id="root-causes"><h2>Shared causes</h2><p class="meta">Failures of several requirements that rest on the same offending value; each requirement keeps its own verdict below.</p><ol>${groups.map(item).join('')}</ol></section>`;
}

/** The line of a requirement's article that names the cause it shares, if it shares one. */
export function sharedCauseLine(groups: readonly RootCauseGroup[], r: RequirementResult): string {
  const grouped = groupOf(groups, r.id);
  return grouped ? `<p class="cause">Shared cause <a href="#cause-${grouped.n}">${grouped.n}</a>: ${h(grouped.group.text)}</p>` : '';
}
