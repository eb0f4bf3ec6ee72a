import type { FailureCause, RequirementResult } from '../results/model.js';
import { PRESENCE_STATES } from '../story/schema/invariants.js';

/** Failing requirements whose failures all rest on one cause (the tests' `cause`, harness/results/failure-cause.ts). */
export interface RootCauseGroup {
  /** Equal for failures with the same cause (`causeKey`). */
  key: string;
  /** One line for people: what the server does. */
  text: string;
  /** The failing requirements it explains, in results order; at least two. */
  requirements: string[];
}

/** What makes two failures' causes the same: their kind, where the value came from, and the value. */
export function causeKey(cause: FailureCause): string {
  return `${cause.kind}:${cause.seen}:${cause.value}`;
}

/**
 * Groups the failing requirements by root cause, for the reports only: each
 * keeps its own verdict, and the gate never reads this. A requirement joins a
 * group when every one of its failing tests rests on that cause (one failing
 * for another reason as well stays on its own), so it is in at most one group;
 * a cause shared by fewer than two requirements is no group.
 */
export function rootCauseGroups(requirements: readonly RequirementResult[]): RootCauseGroup[] {
  const groups = new Map<string, { cause: FailureCause; requirements: string[] }>();
  for (const r of requirements) {
    // Only failing tests carry a cause, and a requirement with one fails (`combine`): errors and skips stay out.
    const causes = r.tests.filter((t) => t.verdict === 'fail').map((t) => t.cause);
    const keys = new Set(causes.map((c) => (c ? causeKey(c) : undefined)));
    const key = keys.size === 1 ? [...keys][0] : undefined;
    if (key === undefined) continue;
    const group = groups.get(key) ?? { cause: causes[0]!, requirements: [] };
    groups.set(key, group);
    group.requirements.push(r.id);
  }
  return [...groups.entries()].filter(([, g]) => g.requirements.length >= 2).map(([key, g]) => ({ key, text: causeText(g.cause), requirements: g.requirements }));
}

/** The group of requirement `id`, with its number (from 1), if it is in one. */
export function groupOf(groups: readonly RootCauseGroup[], id: string): { group: RootCauseGroup; n: number } | undefined {
  const i = groups.findIndex((g) => g.requirements.includes(id));
  return i < 0 ? undefined : { group: groups[i]!, n: i + 1 };
}

/** How much of the offending value (JSON, quotes included) a cause line shows. */
const CAUSE_VALUE_CHARS = 80;

/** The cause line of failures sharing one cause (`causeKey`). */
export function causeText(cause: FailureCause): string {
  // The value is the server's (any string a client or peer sent): a line, not a page.
  const value = cause.value.length > CAUSE_VALUE_CHARS ? `${cause.value.slice(0, CAUSE_VALUE_CHARS)}…` : cause.value;
  const outside = `(not one of ${PRESENCE_STATES.join(', ')})`;
  return cause.seen === 'accepted' ? `the server accepts presence ${value} ${outside} from clients` : `the server gives out presence ${value} ${outside} that no client set`;
}

/** IDs as the issue writes a group: the first in full, the others without the prefix they share ("PRES-STATE-ENUM, -FFC-PUT"). */
export function shortIds(ids: readonly string[]): string {
  return ids.map((id, i) => (i > 0 && id.startsWith('PRES-') ? id.slice('PRES'.length) : id)).join(', ');
}
