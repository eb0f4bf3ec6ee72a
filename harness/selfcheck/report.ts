import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../errors.js';
import { redact } from '../redact.js';
import { escapeMarkdown } from '../reports/escape.js';
import type { Verdict } from '../results/model.js';
import type { FalseBlame, MutantStatus, TestChange, VerdictChange } from './verdicts.js';

/** What the self-check found about one mutant. */
export interface MutantReport {
  name: string;
  bug: string;
  violates: string[];
  /** Requirements run against it. */
  scope: string[];
  status: MutantStatus;
  /** Requirements that went to `fail` with the mutant (and did not fail without it). */
  caughtBy: VerdictChange[];
  /** Other verdict changes (for example to `error`), which do not count as catching it. */
  otherChanges: VerdictChange[];
  /** Tests that pass without the mutant and fail with it (also within requirements that already fail). */
  testsBroken?: TestChange[];
  /**
   * The precision column: failing tests of requirements outside `violates`
   * that did not fail without the mutant. Any entry fails the self-check.
   */
  falseBlames?: FalseBlame[];
  /**
   * False blames a second run of the mutant over the blamed requirements did
   * not repeat: flaky verdicts (shown, kept in selfcheck.json), not blames.
   */
  unconfirmedBlames?: FalseBlame[];
  /**
   * For a stage against a real server: the diagnosis its run must make
   * (`found` holds its message when it did). Missing, it fails the self-check.
   */
  diagnosis?: { expected: string; found?: string };
  /** How often the proxy injected the fault, by kind: zero means no test exercised the case. */
  injected: Record<string, number>;
  requests: number;
  durationMs: number;
  /** The mutant run's own report directory, relative to the self-check's. */
  reportDir?: string;
  note?: string;
}

/**
 * How a caught mutant was noticed: the requirements it turned to `fail`, else
 * the passing tests it broke inside requirements that already failed.
 */
export function noticedBy(m: MutantReport, withTransitions = false): string | undefined {
  if (m.caughtBy.length) return m.caughtBy.map((c) => (withTransitions ? `${c.id} (${c.before}→fail)` : c.id)).join(', ');
  if (m.status === 'caught' && m.testsBroken?.length) return m.testsBroken.map((t) => `${t.id} "${t.test}" (requirement already failing)`).join('; ');
  return undefined;
}

/** One line per false blame: requirement, test and the first line of its message. */
export function falseBlameLines(m: MutantReport, width = 160): string[] {
  return (m.falseBlames ?? []).map((b) => `${b.id} (${b.before === 'fail' ? 'already failing; this test did not' : `${b.before}→fail`}) "${b.test}": ${firstLine(b.message, width)}`);
}

function firstLine(text: string | undefined, width: number): string {
  const line = (text ?? 'no message').split('\n').find((l) => l.trim()) ?? 'no message';
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** A stage whose run did not make the diagnosis it must make. */
export function missingDiagnosis(m: MutantReport): boolean {
  return m.diagnosis !== undefined && m.diagnosis.found === undefined && m.status !== 'not-run' && m.status !== 'error';
}

/** Total false blames over every mutant of a report. */
export function falseBlameCount(report: SelfCheckReport): number {
  return report.mutants.reduce((n, m) => n + (m.falseBlames?.length ?? 0), 0);
}

/** The content of selfcheck.json. */
export interface SelfCheckReport {
  schemaVersion: 1;
  target: { kind: string; serverVersion: string };
  seed: number;
  only?: string;
  startedAt: string;
  durationMs: number;
  interrupted?: string;
  /** Why the self-check could not complete, if it could not. */
  failure?: string;
  baseline: {
    direct: Record<string, Verdict>;
    noMutant: Record<string, Verdict>;
    /** The no-mutant run through the proxy gave exactly the direct run's verdicts (not run without mutants to judge). */
    proxyFaithful: boolean;
    differences: VerdictChange[];
    proxiedRequests: number;
    /** The suites through a proxy that only delays every response (`--latency`), against the direct run. */
    latency?: LatencyBaseline;
  };
  mutants: MutantReport[];
}

/** The latency run of the baseline: same verdicts as the direct run, and no `error`, or the self-check fails. */
export interface LatencyBaseline {
  delayMs: number;
  jitterMs: number;
  verdicts: Record<string, Verdict>;
  /** Requirements whose verdict differs from the direct run's. */
  differences: VerdictChange[];
  /** Requirements the latency run could not check (`error`), with their first message. */
  errors: { id: string; message?: string }[];
  proxiedRequests: number;
  /** Wall time of the direct run and of the latency run (ms). */
  directMs: number;
  latencyMs: number;
}

/** Whether the latency run (if any) kept every verdict and gave no error. */
export function latencySteady(report: SelfCheckReport): boolean {
  const latency = report.baseline.latency;
  return !latency || (latency.differences.length === 0 && latency.errors.length === 0);
}

/**
 * The exit code: 130 interrupted; 1 if a mutant survived, a mutant run
 * failed a requirement it does not violate (a false blame), a stage's run
 * missed its diagnosis, the proxy was not faithful, or the latency run changed
 * a verdict or gave an error; 2 if something could not be run; 0 otherwise. Masked mutants
 * (the server already fails what they break) do not count as survivors.
 */
export function selfCheckExitCode(report: SelfCheckReport): number {
  if (report.interrupted) return EXIT.interrupted;
  if (report.failure) return EXIT.harness;
  if (!report.baseline.proxyFaithful || !latencySteady(report) || report.mutants.some((m) => m.status === 'survived' || missingDiagnosis(m)) || falseBlameCount(report) > 0) return EXIT.failed;
  if (report.mutants.some((m) => m.status === 'error')) return EXIT.harness;
  return EXIT.ok;
}

/** A short Markdown summary of the report. */
export function renderMarkdown(report: SelfCheckReport): string {
  const count = (s: MutantStatus) => report.mutants.filter((m) => m.status === s).length;
  const lines = [
    '# Presence conformance self-check',
    '',
    `Target ${report.target.serverVersion} (${report.target.kind}), seed ${report.seed}${report.only ? `, --only ${report.only}` : ''}; ${(report.durationMs / 1000).toFixed(0)} s.`,
    '',
    report.baseline.proxyFaithful && report.mutants.length === 0
      ? 'No-mutant proxy run: not run (no mutant to judge).'
      : report.baseline.proxyFaithful
      ? `No-mutant proxy run: same verdicts as the direct run (${report.baseline.proxiedRequests} requests proxied).`
      : `**No-mutant proxy run differs from the direct run:** ${report.baseline.differences.map((d) => `${d.id} ${d.before}→${d.after}`).join(', ') || 'baseline incomplete'}.`,
    '',
    ...latencyLines(report),
    `Mutants: ${count('caught')} caught, ${count('survived')} survived, ${count('masked')} masked, ${count('error')} error, ${count('not-run')} not run; ${falseBlameCount(report)} false blame${falseBlameCount(report) === 1 ? '' : 's'}.`,
    '',
    '| mutant | status | caught by | violates | false blames | faults injected |',
    '|---|---|---|---|---|---|',
    ...report.mutants.map((m) => {
      const injected = Object.values(m.injected).reduce((a, b) => a + b, 0);
      const by = noticedBy(m, true) ?? (m.note ? m.note.split('\n')[0]!.slice(0, 80) : '—');
      const blamed = [...new Set((m.falseBlames ?? []).map((b) => b.id))];
      return `| ${m.name} | ${m.status === 'caught' ? 'caught' : `**${m.status}**`} | ${by} | ${m.violates.join(', ')} | ${blamed.length ? `**${blamed.join(', ')}**` : '0'} | ${injected} |`;
    }),
    '',
    'caught: a requirement went to fail that passes (or is not run) without the mutant, or a test that passes without it fails with it. masked: every requirement the mutant violates already fails without it, so this target cannot show it. survived: neither; a suite is missing or too weak. false blames: requirements the mutant does not violate that failed with it and not without it (each is a suite asserting more than its requirement, or failing where its precondition was not reached: it should say error); any fails the self-check. Faults injected = 0 means no test exercised the case at all.',
  ];
  for (const m of report.mutants.filter((m) => m.diagnosis && m.status !== 'not-run' && m.status !== 'error')) {
    lines.push('', m.diagnosis!.found ? `${m.name}: the run diagnosed it: ${escapeMarkdown(m.diagnosis!.found)}` : `**${m.name}: the run did not diagnose ${m.diagnosis!.expected}.**`);
  }
  const blamed = report.mutants.filter((m) => m.falseBlames?.length);
  if (blamed.length) {
    lines.push('', '## False blames', '');
    for (const m of blamed) lines.push(`- **${m.name}** (violates ${m.violates.join(', ')}):`, ...falseBlameLines(m, 300).map((l) => `  - ${escapeMarkdown(l)}`));
  }
  const flaky = report.mutants.filter((m) => m.unconfirmedBlames?.length);
  if (flaky.length) {
    lines.push('', '## Flaky verdicts (a false blame a second run did not repeat)', '');
    for (const m of flaky) lines.push(`- **${m.name}**:`, ...falseBlameLines({ ...m, falseBlames: m.unconfirmedBlames }, 300).map((l) => `  - ${escapeMarkdown(l)}`));
  }
  if (report.failure) lines.push('', `**Self-check failed:** ${report.failure}`);
  if (report.interrupted) lines.push('', `**Interrupted:** ${report.interrupted} (partial)`);
  return `${lines.join('\n')}\n`;
}

function latencyLines(report: SelfCheckReport): string[] {
  const l = report.baseline.latency;
  if (!l) return [];
  const what = `Latency run (${l.delayMs} ± ${l.jitterMs} ms on every response, ${l.proxiedRequests} requests, ${(l.latencyMs / 1000).toFixed(1)} s; direct ${(l.directMs / 1000).toFixed(1)} s)`;
  if (latencySteady(report)) return [`${what}: same verdicts as the direct run, no error.`, ''];
  const changed = l.differences.map((d) => `${d.id} ${d.before}→${d.after}`).join(', ');
  const errors = l.errors.map((e) => `${e.id}: ${escapeMarkdown((e.message ?? '').split('\n')[0]!.slice(0, 200))}`).join('; ');
  return [`**${what} differs from the direct run:** ${changed || 'no verdict changed'}${errors ? `; errors: ${errors}` : ''}.`, ''];
}

/** Writes selfcheck.json and selfcheck.md (redacted) into `reportDir`; returns the JSON path. */
export async function writeSelfCheck(reportDir: string, report: SelfCheckReport): Promise<string> {
  await mkdir(reportDir, { recursive: true });
  const safe = redact(report);
  const jsonPath = path.join(reportDir, 'selfcheck.json');
  await writeFile(jsonPath, `${JSON.stringify(safe, null, 2)}\n`);
  await writeFile(path.join(reportDir, 'selfcheck.md'), renderMarkdown(safe));
  return jsonPath;
}
