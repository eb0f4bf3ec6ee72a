import { readFile } from 'node:fs/promises';
import { EXIT, HarnessError } from '../errors.js';
import type { Level } from '../catalogue.js';
import type { RequirementResult } from './model.js';
import { proposalOfId } from './tentative.js';
import { isTentative } from './tentative.js';

/** A server's known failures, as committed under `reports/expectations/`. */
export interface Expectations {
  server: string;
  expectedFailures: Array<{
    id: string;
    reason: string;
    evidence?: string;
    /** The server fails it only sometimes (a race of its own, shown in the evidence): a pass is no news, even with `--strict-expect`. */
    intermittent?: boolean;
    /**
     * The server fails it only as the receiver of a peer's EDUs
     * (suites/federation/inbound.test.ts): expected on a federating pair,
     * not on the server alone, where the requirement's own stories pass.
     */
    pairOnly?: boolean;
    /**
     * Set on entries of tentative requirements (PRES-TENT-*): the proposal, as
     * `MSC4186`, so a reader of the file sees which findings are tentative.
     * The catalogue stays the source: `loadExpectations` refuses a marker that
     * disagrees with it, or a tentative entry without one.
     */
    tentative?: string;
  }>;
}

/**
 * Which requirements gate (`--fail-on`): `must`, the stable catalogue's MUSTs;
 * `should`, its MUSTs and SHOULDs; `tentative`, those and the tentative
 * area's (PRES-TENT-*) MUSTs and SHOULDs. MAY never gates.
 */
export type FailOn = 'must' | 'should' | 'tentative';

export interface GateOptions {
  failOn: FailOn;
  expectations?: Expectations;
  strictExpect?: boolean;
  /** The run judged the first server of a federating pair (`pairOnly` expectations apply). */
  pair?: boolean;
}

export interface GateOutcome {
  exitCode: number;
  /** Failing requirements that gate (not expected). */
  regressions: string[];
  /** Expected failures that passed this time. */
  unexpectedPasses: string[];
  /** Gating requirements whose checks could not complete. */
  errors: string[];
  /**
   * Gating requirements not checked at all because every test that could
   * have given a verdict was over the wait budget (`notChecked: 'slow'`, or
   * `'rate-limited'`: a rate limit's advised wait was over it).
   * They do not change the exit code (the budget is the caller's choice), but
   * every report and the CLI's last line count them, so a budgeted run never
   * reads as a full pass.
   */
  notChecked: string[];
  /** Gating requirements that passed on the tests that ran while others, over the wait budget, were skipped. */
  partlyChecked: string[];
  /**
   * Requirements, of any level, whose verdict changed between the runs of
   * `--repeat`. Their verdict is already the worst of their runs' and gates
   * like any other (a MUST that failed once fails); this list only names
   * them, so that every report can say the verdict was not steady.
   */
  flaky: string[];
  /** Set when the tentative requirements gated (`--fail-on tentative`); otherwise they never gate, whatever their level. */
  tentativeGates?: true;
}

/** The levels that gate for each `--fail-on`, and whether the tentative area (proposals not yet in the spec) gates at all. */
const GATING: Record<FailOn, { levels: readonly Level[]; tentative: boolean }> = {
  must: { levels: ['MUST'], tentative: false },
  should: { levels: ['MUST', 'SHOULD'], tentative: false },
  tentative: { levels: ['MUST', 'SHOULD'], tentative: true },
};

/** Whether a requirement of these results gates under `failOn`. */
export function gates(requirement: Pick<RequirementResult, 'level' | 'area'>, failOn: FailOn): boolean {
  const { levels, tentative } = GATING[failOn];
  return levels.includes(requirement.level) && (tentative || !isTentative(requirement));
}

export async function loadExpectations(file: string): Promise<Expectations> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError(`--expect ${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const list = (parsed as Expectations)?.expectedFailures;
  if (!Array.isArray(list) || list.some((e) => typeof e?.id !== 'string')) {
    throw new HarnessError(`--expect ${file}: expected {"expectedFailures": [{"id": "...", "reason": "..."}]}`);
  }
  for (const entry of list) {
    const wrong = tentativeMarkerError(entry.id, entry.tentative);
    if (wrong) throw new HarnessError(`--expect ${file}: ${wrong}`);
  }
  return parsed as Expectations;
}

/** Why an entry's `tentative` marker disagrees with the catalogue, if it does. */
export function tentativeMarkerError(id: string, marker: unknown): string | undefined {
  const msc = proposalOfId(id)?.msc;
  if (msc === marker) return undefined;
  if (msc === undefined) return `${id} is not a tentative requirement, yet its entry says "tentative": ${JSON.stringify(marker)}`;
  return `${id} is tentative (${msc}): its entry must say "tentative": "${msc}"${marker === undefined ? '' : `, not ${JSON.stringify(marker)}`}`;
}

/**
 * Decides the exit code: 1 when a gating requirement fails unexpectedly (or,
 * with `strictExpect`, an expected failure passes), 2 when a gating
 * requirement could not be checked, 0 otherwise. MAY requirements never gate,
 * nor do tentative ones (PRES-TENT-*) unless `failOn` is `tentative`.
 * Requirements left unchecked by the wait budget are listed, not gated on.
 */
export function gate(requirements: RequirementResult[], options: GateOptions): GateOutcome {
  const gatesHere = (r: RequirementResult) => gates(r, options.failOn);
  const entries = options.expectations?.expectedFailures.filter((e) => options.pair || e.pairOnly !== true) ?? [];
  const expected = new Set(entries.map((e) => e.id));
  const gating = requirements.filter(gatesHere);
  const regressions = gating.filter((r) => r.verdict === 'fail' && !expected.has(r.id)).map((r) => r.id);
  const intermittent = new Set(entries.filter((e) => e.intermittent === true).map((e) => e.id));
  const unexpectedPasses = requirements.filter((r) => expected.has(r.id) && !intermittent.has(r.id) && r.verdict === 'pass').map((r) => r.id);
  const errors = gating.filter((r) => r.verdict === 'error').map((r) => r.id);
  const notChecked = gating.filter((r) => r.notChecked !== undefined).map((r) => r.id);
  const partlyChecked = gating.filter((r) => r.verdict === 'pass' && r.tests.some((t) => t.skipReason !== undefined)).map((r) => r.id);
  const flaky = requirements.filter((r) => r.flaky).map((r) => r.id);
  // A tentative requirement's unexpected pass is listed (prune the file) but, never gating, is not fatal even with --strict-expect.
  const fatalPasses = unexpectedPasses.filter((id) => !isTentative(requirements.find((r) => r.id === id)!) || GATING[options.failOn].tentative);
  let exitCode: number = EXIT.ok;
  if (regressions.length || (options.strictExpect && fatalPasses.length)) exitCode = EXIT.failed;
  else if (errors.length) exitCode = EXIT.harness;
  return { exitCode, regressions, unexpectedPasses, errors, notChecked, partlyChecked, flaky, ...(GATING[options.failOn].tentative ? { tentativeGates: true as const } : {}) };
}
