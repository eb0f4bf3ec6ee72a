import type { RequirementResult } from '../results/model.js';
import { usersLine, usersToTell } from './users-line.js';
import { escapeMarkdown, oneLine } from './escape.js';
import { kindsDiffer, kindsLine } from './client-kinds.js';
import { expectedFailureLabel, proposalLabel, taggedId, splitTentative, TENTATIVE_NOTE, tentativeCountsLine } from './tentative.js';
import { groupOf, rootCauseGroups, type RootCauseGroup } from './root-causes.js';
import { byArea, catalogueEntry, countVerdicts, expectedReason, flakyNote, gateHeadline, notCheckedNote, reasonOf, runVerdicts, VERDICT_ICON, VERDICTS, type ReportInput } from './report-input.js';

const ICON = VERDICT_ICON;

/**
 * Renders `summary.md`, sized for `$GITHUB_STEP_SUMMARY`: target and
 * version, the gate's decision, counts per area, then MUST failures (and
 * errors) with a one-line reason each, then SHOULD ones, then MAY features
 * not offered, then, when `--expect` was given, the unexpected passes.
 * With `--repeat`, a "Flaky" line names every requirement whose verdict
 * changed between runs, with its verdict per run, and each listed failure
 * says so. The tentative requirements (PRES-TENT-*) are left out of the
 * counts and failure lists and have a section of their own, with their
 * proposal; requirements whose client kinds got different verdicts have one.
 * Failures that rest on one cause (harness/reports/root-causes.ts) are named
 * under it in "Shared causes" before the lists, and each listed failure says
 * which cause it shares, keeping its own verdict and reason.
 * Every server-provided text is escaped.
 */
export function renderSummaryMarkdown(input: ReportInput): string {
  const { results } = input;
  const t = results.target;
  const out: string[] = [
    `## Presence conformance: ${escapeMarkdown(t.serverVersion)}`,
    '',
    `Target \`${t.kind}\` at ${escapeMarkdown(t.baseUrl)} (server name ${escapeMarkdown(t.serverName || 'unknown')})${t.peer ? `, federating with ${escapeMarkdown(t.peer.serverVersion)} (server name ${escapeMarkdown(t.peer.serverName)}: users whose IDs end in it lived there)` : ''} · ${escapeMarkdown(`${results.tool.name} ${results.tool.version}`)} · seed ${results.seed}${results.repeat ? ` · ${results.repeat} runs (--repeat)` : ''} · ${(results.durationMs / 1000).toFixed(1)} s · ${escapeMarkdown(results.startedAt)}`,
    '',
  ];
  if (results.interrupted) out.push(`> **Partial results:** the run was cut short (${escapeMarkdown(oneLine(results.interrupted))}); requirements not reached are skipped.`, '');
  for (const d of results.diagnoses ?? []) out.push(`> **Diagnosis:** ${escapeMarkdown(oneLine(d.message))}`, '');
  for (const a of t.assumptions ?? []) out.push(`> **Assumed:** ${escapeMarkdown(oneLine(a, 400))}`, '');
  out.push(...gateLines(input), ...countTable(input));
  if (usersToTell(results.users)) out.push(`**Test users:** ${escapeMarkdown(usersLine(results.users))}`, '');

  const { stable, tentative } = splitTentative(results.requirements);
  const groups = rootCauseGroups(results.requirements);
  if (groups.length) out.push(...causeLines(groups));
  for (const level of ['MUST', 'SHOULD'] as const) {
    const failing = stable.filter((r) => r.level === level && (r.verdict === 'fail' || r.verdict === 'error'));
    if (!failing.length) continue;
    out.push(`### ${level} failures (${failing.length})`, '', ...failing.map((r) => item(input, r)), '');
  }
  const notOffered = stable.filter((r) => r.level === 'MAY' && r.verdict !== 'pass' && r.verdict !== 'skip');
  if (notOffered.length) out.push('### MAY features not offered (informational, never fail)', '', ...notOffered.map((r) => item(input, r)), '');
  if (tentative.length) {
    out.push(`### Tentative requirements (${tentative.length})`, '', `They are ${TENTATIVE_NOTE}. ${escapeMarkdown(tentativeCountsLine(tentative, input.gate))}.`, '', ...tentative.map((r) => item(input, r)), '');
  }
  const differing = results.requirements.filter(kindsDiffer);
  if (differing.length) {
    out.push(`### Verdicts that differ by client kind (${differing.length})`, '', ...differing.map((r) => `- ${link(r.id)}: ${escapeMarkdown(kindsLine(r))}`), '');
  }

  if (input.expectations) {
    const passes = input.gate?.unexpectedPasses ?? [];
    out.push(`### Unexpected passes (${passes.length})`, '');
    out.push(
      passes.length
        ? `Listed as expected failures of ${escapeMarkdown(input.expectations.server)}, but passing now; remove them from the expectations file:`
        : `None: every expected failure of ${escapeMarkdown(input.expectations.server)} still fails.`,
    );
    if (passes.length) out.push('', ...passes.map((id) => `- ${taggedId(id, link)}: ${escapeMarkdown(oneLine(expectedReason(input, id)) || 'no reason given')}`));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** "Shared causes": each cause, numbered, with the failing requirements that rest on it. */
function causeLines(groups: readonly RootCauseGroup[]): string[] {
  return [
    `### Shared causes (${groups.length})`,
    '',
    'Failures of several requirements that rest on the same offending value; each requirement keeps its own verdict below.',
    '',
    ...groups.map((g, i) => `${i + 1}. **${escapeMarkdown(g.text)}**: ${g.requirements.map(link).join(', ')}`),
    '',
  ];
}

function gateLines(input: ReportInput): string[] {
  const { gate } = input;
  const headline = gateHeadline(input);
  if (!gate || !headline) return [];
  const parts: string[] = [];
  if (gate.regressions.length) parts.push(`failing: ${gate.regressions.map(link).join(', ')}`);
  if (gate.errors.length) parts.push(`could not be checked: ${gate.errors.map(link).join(', ')}`);
  if (gate.unexpectedPasses.length) parts.push(`unexpected passes: ${gate.unexpectedPasses.map((id) => taggedId(id, link)).join(', ')}`);
  const expected = input.expectations?.expectedFailures.length ?? 0;
  const status = `**Gate: ${headline.text}**`;
  const known = expected ? ` · ${expected} known failure${expected === 1 ? '' : 's'} expected` : '';
  const unchecked = notCheckedNote(input, link);
  const flaky = flakyNote(input, link);
  return [
    `${status}${parts.length ? ` — ${parts.join('; ')}` : ''}${known}`,
    '',
    ...(unchecked ? [`> **Not checked:** ${unchecked}.`, ''] : []),
    ...(flaky ? [`> **Flaky:** ${flaky}.`, ''] : []),
  ];
}

function countTable(input: ReportInput): string[] {
  const header = `| Area | ${VERDICTS.map((v) => `${ICON[v]} ${v}`).join(' | ')} |`;
  const rule = `|---|${VERDICTS.map(() => '---:').join('|')}|`;
  const row = (name: string, requirements: RequirementResult[]) => {
    const counts = countVerdicts(requirements);
    return `| ${name} | ${VERDICTS.map((v) => counts[v]).join(' | ')} |`;
  };
  // The stable catalogue's counts only: the tentative area is counted in its own section.
  const { stable } = splitTentative(input.results.requirements);
  const rows = byArea(stable).map((g) => row(escapeMarkdown(g.area), g.requirements));
  return [header, rule, ...rows, row('**all**', stable), ''];
}

function item(input: ReportInput, r: RequirementResult): string {
  const expected = expectedReason(input, r.id);
  const grouped = groupOf(rootCauseGroups(input.results.requirements), r.id);
  const note = `${r.flaky ? ` *(flaky: ${runVerdicts(r.runs)})*` : ''}${expected === undefined ? '' : ` *(${expectedFailureLabel(r.id)}: ${escapeMarkdown(oneLine(expected, 120))})*`}${grouped ? ` *(shared cause ${grouped.n})*` : ''}`;
  const proposal = proposalLabel(r);
  const head = `- ${ICON[r.verdict]} ${link(r.id)} (${r.level}${proposal ? `, ${escapeMarkdown(proposal)}` : ''}) ${catalogueEntry(r.id)?.title ?? escapeMarkdown(r.title)}`;
  // A passing tentative requirement is listed in its section without a reason.
  if (r.verdict === 'pass') return head;
  const reason = escapeMarkdown(oneLine(reasonOf(r)) || 'no message');
  return `${head}  \n  ${r.verdict === 'error' && !/^inconclusive:/.test(reason) ? 'could not be checked: ' : ''}${reason}${note}`;
}

function link(id: string): string {
  const url = catalogueEntry(id)?.specUrl;
  return url ? `[${escapeMarkdown(id)}](${url})` : escapeMarkdown(id);
}
