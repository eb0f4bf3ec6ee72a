import { randomBytes } from 'node:crypto';
import { newRunPrefix, serverNameOf } from '../user-id.js';
import { fileURLToPath } from 'node:url';
import type { Reporter, Vitest } from 'vitest/node';
import { DEFAULT_MAX_WAIT_MS, type WaitBudget } from '../story/budget.js';
import { matchingIds } from '../catalogue.js';
import { HttpTransport, closePool, closePools } from '../story/client/http.js';
import { ROUND_TRIPS_PER_DELIVERY, typicalMs } from '../story/client/round-trip.js';
import { RUN_SETUP_CONCURRENCY } from '../story/client/setup-steps.js';
import { Recorder } from '../story/client/recorder.js';
import { HarnessError } from '../errors.js';
import { registerUser } from '../story/client/registration.js';
import { aggregate } from '../results/aggregate.js';
import { gate, type GateOptions, type GateOutcome } from '../results/gate.js';
import { RESULTS_SCHEMA_VERSION, type Diagnosis, type Results, type RunRecord, type UsersOutcome } from '../results/model.js';
import { redact } from '../redact.js';
import { collectEvidence, evidencePathOf, prepareReportFolder, writeReportFolder, type FolderContents } from '../reports/report-folder.js';
import type { TargetDescriptor } from '../story/server-facts.js';
import type { OwnedServer } from '../targets/owned-server.js';
import type { TargetKind } from '../targets/registry.js';
import type { StartedTarget } from '../targets/target.js';
import { ResultCollector } from './collector.js';
import { diagnosePresence } from './presence-diagnosis.js';
import { storyTimeLimitMs } from '../story/story-limit.js';
import { adminForSecondDevices, measurePresencePace } from './presence-pace.js';
import { TargetOwnership, type TargetFlags } from './start-target.js';
import { watchTarget, type TargetLoss, type TargetWatch } from './target-watch.js';
import { TOOL } from './tool.js';
import { consoleReporters } from '../console/console-reporters.js';
import type { ProgressReporter } from '../console/progress-reporter.js';
import { expectedStoryMs } from '../console/expected-story.js';
import type { StatusBoard } from '../console/status-board.js';
import { timingAssumptions } from '../timings.js';
import { cleanUpUsers } from '../users/clean-up.js';
import { UserLedger, usersChannelName } from '../users/ledger.js';
import { serverOutlivesRun } from '../users/server-outlives-run.js';
import { usersLine, usersToTell } from '../reports/users-line.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The one file vitest is given: it imports every suite file, so that all the
 * run's tests are one file's and start at once in one worker (vitest runs one
 * file per worker at a time; a file per worker cost 16 threads and 1.3 GB).
 */
const SUITES_ENTRY = 'harness/runner/all-suites.entry.ts';

/**
 * Tests of the entry that may run at once: more than the suites hold, so
 * every story starts at once and a run lasts its longest story, not a sum of
 * stories (with 5-minute timers and `--slow`, a story takes 10 minutes).
 */
const MAX_CONCURRENT_TESTS = 1_000;

export interface RunOptions extends TargetFlags {
  target: TargetKind;
  only?: string;
  /**
   * An already started (or connected) target to run against instead of
   * starting one. The run never stops it: its `stop` is the caller's business
   * and is not called. Used by `selfcheck`, which runs many times against one server.
   */
  started?: StartedTarget;
  /**
   * With `started`: watch that target as this run's own, its process being
   * `process` if the caller started one (`--repeat`, whose runs follow one
   * another, so each names a loss as a single run would). Without it a
   * started target is not watched by the run: the self-check watches its
   * shared server itself.
   */
  watchStarted?: { process?: OwnedServer };
  /** Further restricts the requirements in scope (intersected with `only`). */
  scope?: readonly string[];
  /**
   * `--keep-users`: leave the test users on a server that outlives the run
   * (a url target) instead of removing them at its end (harness/users/).
   */
  keepUsers?: boolean;
  /** Leave the console reporter out (for concurrent runs); results are still collected. */
  quiet?: boolean;
  /**
   * Where the run shows its progress line (requirements judged, elapsed,
   * ETA: harness/console/progress-reporter.ts); none without it.
   */
  board?: StatusBoard;
  /** `--verbose`: vitest's own reporter (each test, its summary lines) instead of the progress line. */
  verbose?: boolean;
  /**
   * Other runs share this process (`run --target a,b` side by side): at its
   * end the run closes only its own targets' HTTP pools, not theirs; the
   * caller closes the rest once all have ended.
   */
  alongside?: boolean;
  /** Wait budget per story in ms (default DEFAULT_MAX_WAIT_MS); null runs every story however long (`--slow`). */
  maxWaitMs?: number | null;
  reportDir: string;
  /**
   * What the run writes into `reportDir` (harness/reports/report-folder.ts):
   * `full` (default), `results` (results.json and the evidence of failures:
   * the self-check's runs), or `none` (nothing: the caller writes the
   * record, as `--repeat` does once for all its runs).
   */
  report?: FolderContents | 'none';
  seed: number;
  gate: GateOptions;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
}

export interface RunOutcome {
  /** The results, redacted (as written, when written). */
  results: Results;
  /** The results.json written; absent when the run wrote nothing (`report: 'none'`). */
  resultsPath?: string;
  /** What the run collected, in memory and not redacted: for a caller that writes it itself (`--repeat`). */
  record: RunRecord;
  gate: GateOutcome;
  /** Why the run could not complete, if it could not; the results are then partial. */
  failure?: HarnessError;
}

/**
 * One conformance run: start or reach the target, check that users can be
 * registered, run the suites through vitest, write the results, and stop
 * whatever was started — also when interrupted (`interrupt()`), in which case
 * the results written are partial and say so.
 */
export class ConformanceRun {
  private readonly collector = new ResultCollector();
  private readonly startedAt = Date.now();
  private target: StartedTarget | undefined;
  private descriptor: TargetDescriptor | undefined;
  private readonly owned = new TargetOwnership();
  private vitest: Vitest | undefined;
  private progress: ProgressReporter | undefined;
  private interruption: string | undefined;
  private readonly diagnoses: Diagnosis[] = [];
  /** Set when the target went away mid-run (`watchTarget`). */
  private lost: TargetLoss | undefined;
  private watching: TargetWatch | undefined;
  /** Rejects with the loss's one line when the target goes away: what set-up steps race against. */
  private readonly targetLost: Promise<never>;
  private rejectTargetLost: (cause: HarnessError) => void = () => undefined;
  /** Every user the run registered (from the preflight on), to remove at its end. */
  private users: UserLedger | undefined;

  constructor(private readonly options: RunOptions) {
    this.targetLost = new Promise<never>((_, reject) => (this.rejectTargetLost = reject));
    this.targetLost.catch(() => undefined);
  }

  /** Runs to the end; harness failures are returned (with partial results), not thrown. */
  async execute(): Promise<RunOutcome> {
    if (this.options.report !== 'none') await prepareReportFolder(this.options.reportDir);
    let failure: HarnessError | undefined;
    try {
      this.target = await this.startTarget();
      this.throwIfInterrupted();
      this.watching = this.watch(this.target);
      this.descriptor = await Promise.race([this.preflight(this.target), this.targetLost]);
      this.throwIfInterrupted();
      await this.runSuites(this.descriptor);
      await this.watching?.settle();
    } catch (cause) {
      failure = cause instanceof HarnessError ? cause : new HarnessError(cause instanceof Error ? cause.message : String(cause));
      this.interruption ??= failure.message;
    }
    this.watching?.stop();
    // A lost target is the one cause of whatever failed after it (exit 2).
    if (this.lost) failure = new HarnessError(this.lost.line);
    return { ...(await this.finish()), ...(failure ? { failure } : {}) };
  }

  /**
   * Writes what a run that never started reports (every requirement not run,
   * for `cause`), for a caller that failed to start the target itself (`--repeat`).
   */
  async abandon(cause: HarnessError): Promise<Omit<RunOutcome, 'failure'>> {
    this.interruption = cause.message;
    return this.finish();
  }

  /**
   * Watches a target this run started or reached itself (a self-check's
   * shared target is watched by the self-check): if it goes away, the run
   * stops with the loss's one line as its cause, and every test it had not
   * finished is an error with that cause (`ResultCollector.lose`).
   */
  private watch(target: StartedTarget): TargetWatch | undefined {
    if (this.options.started && !this.options.watchStarted) return undefined;
    return watchTarget({
      target,
      process: this.options.watchStarted?.process ?? this.owned.process,
      runStartedAt: this.startedAt,
      onLost: (loss) => {
        if (this.interruption) return; // already stopping (Ctrl-C): the server going is ours
        this.lost = loss;
        this.collector.lose(loss.line, loss.since, this.inScope());
        this.rejectTargetLost(new HarnessError(loss.line));
        void this.interrupt(loss.line);
      },
    });
  }

  /** Stops the run at the next opportunity; `execute` then writes partial results. */
  async interrupt(reason: string): Promise<void> {
    if (this.interruption) return;
    this.interruption = reason;
    // Tests still in flight would only fail against a stopping server: keep
    // what had finished, stop the server and the runner together, promptly.
    this.collector.close();
    this.progress?.stop();
    this.users?.stop();
    await Promise.all([this.vitest?.cancelCurrentRun('keyboard-input').catch(() => undefined), this.owned.stop()]);
  }

  /** Stops the homeserver without waiting for anything else (second Ctrl-C). */
  async kill(): Promise<void> {
    await this.owned.stop(0);
  }

  /** The requirement IDs this run covers: `only`, narrowed by `scope`. */
  private inScope(): string[] {
    const ids = matchingIds(this.options.only);
    const scope = this.options.scope;
    return scope ? ids.filter((id) => scope.includes(id)) : ids;
  }

  private throwIfInterrupted(): void {
    if (this.interruption) throw new HarnessError(`interrupted (${this.interruption})`);
  }

  private async startTarget(): Promise<StartedTarget> {
    const { options } = this;
    if (options.started) return options.started;
    return this.owned.start({ target: options.target, url: options.url, container: options.container, binaries: options.binaries, reportDir: options.reportDir, log: options.log });
  }

  /**
   * Registers one throw-away user before any test runs, so a wrong secret or
   * a closed registration ends the run at once with one clear line rather
   * than as an error in every test; also learns the server name, and says
   * once when presence looks disabled (`diagnosePresence`).
   */
  private async preflight(target: StartedTarget): Promise<TargetDescriptor> {
    const runPrefix = newRunPrefix();
    this.users = new UserLedger(usersChannelName(runPrefix));
    const http = new HttpTransport(target.baseUrl, new Recorder());
    const username = `${runPrefix}-preflight`;
    const password = randomBytes(16).toString('hex');
    this.users.note({ kind: 'creating', baseUrl: target.baseUrl, username, password });
    const session = await registerUser(http, target.registration, username, password);
    this.users.note({ kind: 'created', baseUrl: target.baseUrl, username, userId: session.userId, accessToken: session.accessToken });
    const serverName = target.serverName ?? serverNameOf(session.userId);
    this.options.log(`target ${target.serverVersion} at ${target.baseUrl} (server name ${serverName}); seed ${this.options.seed}`);
    for (const assumption of timingAssumptions(target.timings)) this.options.log(`assuming ${assumption}`);
    const diagnosis = await diagnosePresence(http, session, target.timings);
    if (diagnosis) {
      this.diagnoses.push(diagnosis);
      this.options.log(`DIAGNOSIS: ${diagnosis.message}`);
    }
    const roundTripMs = await measureRoundTrip(http, session.accessToken);
    const presencePace = await measurePresencePace(http, session);
    if (presencePace) this.options.log(`the server rate-limits presence changes (${presencePace.limit}): each user's changes are paced, one per ${presencePace.intervalMs} ms`);
    const adminToken = await adminForSecondDevices(http, target.registration, runPrefix, session, this.users);
    if (adminToken) this.options.log('second devices log in through the admin login API (no login rate limit)');
    this.options.log(
      `round trip ${roundTripMs} ms (p90 of ${ROUND_TRIP_PROBES} requests): delivery deadlines allow ${ROUND_TRIPS_PER_DELIVERY} round trips, re-measured as the run goes; ` +
        `set-up steps: ${RUN_SETUP_CONCURRENCY} at a time`,
    );
    return {
      kind: target.kind,
      baseUrl: target.baseUrl,
      serverName,
      serverVersion: target.serverVersion,
      registration: target.registration,
      timings: target.timings,
      startedAt: target.startedAt,
      ...(target.readyAt !== undefined ? { readyAt: target.readyAt } : {}),
      runPrefix,
      seed: this.options.seed,
      roundTripMs,
      ...(target.ca ? { ca: target.ca } : {}),
      ...(presencePace ? { presencePace } : {}),
      ...(adminToken ? { adminToken } : {}),
      usersChannel: this.users.channelName,
      ...(target.peer ? { peer: target.peer, federationControlUrl: target.federationControlUrl } : {}),
    };
  }

  private async runSuites(target: TargetDescriptor): Promise<void> {
    const { createVitest } = await import('vitest/node');
    const ids = this.inScope();
    const restricted = Boolean(this.options.only || this.options.scope);
    // A last-resort guard: each wait has its own deadline, from when it starts (harness/story/story-limit.ts).
    const testTimeout = storyTimeLimitMs(target.timings);
    // Vitest installs SIGINT/SIGTERM handlers that exit the process at once;
    // the CLI's own handlers must stay in charge so that an interrupt still
    // stops the homeserver and writes a partial report. Handlers added while
    // vitest runs are removed before a signal can reach them (signals arrive
    // as macrotasks, the removal is a microtask).
    const disown = (event: string | symbol, listener: (...args: unknown[]) => void) => {
      if (event === 'SIGINT' || event === 'SIGTERM') queueMicrotask(() => process.off(event, listener));
    };
    process.on('newListener', disown);
    try {
      this.vitest = await createVitest(
        'test',
        {
          config: false,
          root: PROJECT_ROOT,
          include: [SUITES_ENTRY],
          watch: false,
          testNamePattern: restricted ? new RegExp(`^(${ids.map(escapeRegExp).join('|')}):`) : undefined,
          provide: { target, budget: this.budget() },
          reporters: [this.collector, ...(await this.consoleReporters(target))],
          testTimeout,
          hookTimeout: testTimeout,
          pool: 'threads',
          // The stories wait on the server, not on the CPU: one worker thread
          // runs them all concurrently (docs/decisions/0007-one-worker-for-the-suites.md).
          maxWorkers: 1,
          maxConcurrency: MAX_CONCURRENT_TESTS,
          sequence: { concurrent: true },
          passWithNoTests: true,
        },
      );
      if (!this.interruption) await this.vitest.start();
      await this.vitest.close();
      this.vitest = undefined;
    } finally {
      this.progress?.stop();
      process.off('newListener', disown);
    }
  }

  /** The console's reporter while the suites run (harness/console/console-reporters.ts). */
  private async consoleReporters(target: TargetDescriptor): Promise<Reporter[]> {
    const { quiet, verbose, board } = this.options;
    const progress = board ? { label: this.options.target, board, runStartedAt: this.startedAt, expectedMs: expectedStoryMs(target.timings, this.budget().maxWaitMs) } : undefined;
    const chosen = await consoleReporters({ quiet, verbose, progress }, (reporter) => this.consoleReporter(reporter));
    this.progress = chosen.progress;
    return chosen.reporters;
  }

  /**
   * Vitest's console reporter, silent once the target is lost or the run
   * interrupted: its report would print every test the loss or the stop cut
   * short (a refused connection, an aborted request each), where the run's
   * one-line cause and its partial summary say it all. Its end-of-run report waits
   * for the watch to settle, as a dead server fails every test at once.
   */
  private consoleReporter<R extends object>(reporter: R): R {
    return new Proxy(reporter, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (typeof property !== 'string' || !property.startsWith('on')) return value.bind(target);
        const hook = (...args: unknown[]): unknown => (this.lost || this.interruption ? undefined : Reflect.apply(value, target, args));
        return property === 'onTestRunEnd' ? async (...args: unknown[]) => (await this.watching?.settle(), hook(...args)) : hook;
      },
    });
  }

  private budget(): WaitBudget {
    return { maxWaitMs: this.options.maxWaitMs === undefined ? DEFAULT_MAX_WAIT_MS : this.options.maxWaitMs };
  }

  /**
   * Removes the users the run registered from a server that outlives it
   * (each leaves its rooms and is deactivated), within
   * `USERS_CLEAN_UP_MS` (`INTERRUPTED_CLEAN_UP_MS` after Ctrl-C, so the CLI
   * still stops promptly); says why not where it does not. Called once the
   * suites' worker has ended, so nothing registers any more.
   */
  private async cleanUpUsers(): Promise<UsersOutcome | undefined> {
    const ledger = this.users;
    if (!ledger) return undefined;
    await ledger.settled();
    ledger.close();
    const entries = ledger.all();
    const made = entries.filter((e) => e.userId).length;
    const skipped: UsersOutcome['skipped'] = this.options.keepUsers ? 'kept' : !serverOutlivesRun(this.options.target) ? 'removed-with-server' : this.lost ? 'target-lost' : undefined;
    let users: UsersOutcome;
    if (skipped || entries.length === 0) users = { made, deactivated: 0, failed: 0, ...(skipped ? { skipped } : {}) };
    else {
      const budgetMs = this.interruption ? INTERRUPTED_CLEAN_UP_MS : USERS_CLEAN_UP_MS;
      // A run whose preflight registration was refused made nobody: nothing to announce.
      const keep = this.interruption ? 'Ctrl-C again leaves them' : '--keep-users keeps them';
      if (made > 0) this.options.log(`removing the run's test users: each leaves its rooms and is deactivated (up to ${budgetMs / 1000} s; ${keep})`);
      const outcome = await cleanUpUsers(entries, { deadline: Date.now() + budgetMs });
      users = {
        made: outcome.made,
        deactivated: outcome.deactivated,
        failed: outcome.failed.length,
        ...(outcome.failed.length ? { notCleanedUp: outcome.failed } : {}),
        ...(outcome.firstCause ? { cause: outcome.firstCause } : {}),
        durationMs: outcome.durationMs,
      };
    }
    // The CLI's summary prints it at the end; runs whose summary nobody prints (the self-check's, --repeat's)
    // say it here, when there is news: users removed or left, not a server that takes them along.
    if ((this.options.quiet || this.options.report === 'none') && usersToTell(users) && users.skipped !== 'removed-with-server') this.options.log(usersLine(users));
    return users;
  }

  private async finish(): Promise<Omit<RunOutcome, 'failure'>> {
    const users = await this.cleanUpUsers();
    if (this.options.started) {
      // Not ours to stop; other runs may still be using it (and their pools).
      await closePool(this.options.started.baseUrl);
    } else {
      await this.target?.stop();
      await this.owned.release();
      if (!this.options.alongside) await closePools();
      else for (const origin of [this.target?.baseUrl, this.target?.peer?.baseUrl]) if (origin) await closePool(origin);
    }
    const { options } = this;
    const target = this.target;
    const timings = target?.timings ?? options.url?.timings;
    const assumptions = timings ? timingAssumptions(timings) : [];
    const requirements = aggregate(
      this.collector.tests,
      this.inScope(),
      evidencePathOf,
      this.interruption ? `not run: ${this.interruption}` : 'not run',
    );
    const results: Results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      tool: TOOL,
      target: {
        kind: options.target,
        baseUrl: target?.baseUrl ?? options.url?.baseUrl ?? '',
        serverName: this.descriptor?.serverName ?? target?.serverName ?? options.url?.serverName ?? '',
        serverVersion: target?.serverVersion ?? 'unknown',
        ...(target?.peer ? { peer: { kind: target.peer.kind, baseUrl: target.peer.baseUrl, serverName: target.peer.serverName, serverVersion: target.peer.serverVersion } } : {}),
        ...(assumptions.length ? { assumptions } : {}),
        ...(timings ? { timings } : {}),
        ...(target ? { serverStartedAt: target.startedAt, ...(target.readyAt === undefined ? {} : { serverReadyAt: target.readyAt }) } : {}),
      },
      seed: options.seed,
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Date.now() - this.startedAt,
      maxWaitMs: this.budget().maxWaitMs,
      ...(this.interruption ? { interrupted: this.interruption } : {}),
      ...(this.diagnoses.length ? { diagnoses: this.diagnoses } : {}),
      ...(users ? { users } : {}),
      requirements,
    };
    const record: RunRecord = { results, evidence: collectEvidence(this.collector.tests) };
    const outcome = gate(requirements, { ...options.gate, pair: Boolean(target?.peer) });
    if (options.report === 'none') return { results: redact(results), record, gate: outcome };
    const written = await writeReportFolder(options.reportDir, { ...record, gate: outcome, expectations: options.gate.expectations }, options.report);
    return { results: written.results, resultsPath: written.resultsPath, record, gate: outcome };
  }
}

/**
 * How long removing a run's users may take at its end: a full run makes 131,
 * each leaving a room or two and checking its password once. Measured on the
 * loaded 2-core machine (2026-12-04): 24.7 s against a Synapse at its
 * default password-hash cost, 10 to 38 s at the embedded one's lowered cost.
 */
const USERS_CLEAN_UP_MS = 120_000;

/**
 * The same after Ctrl-C: the CLI must still stop promptly, yet a full run's
 * users need up to a minute on a loaded machine against a server checking
 * passwords at full cost (the progress line says a second Ctrl-C leaves them).
 */
const INTERRUPTED_CLEAN_UP_MS = 60_000;

/** Requests the preflight times to measure the target's round trip. */
const ROUND_TRIP_PROBES = 5;

/**
 * The target's round trip before any test runs: `ROUND_TRIP_PROBES`
 * sequential `GET /account/whoami` (cheap, authenticated, like the
 * requests whose delivery the deadlines wait for), their 90th percentile.
 */
async function measureRoundTrip(http: HttpTransport, token: string): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < ROUND_TRIP_PROBES; i++) {
    const reply = await http.send({ method: 'GET', path: '/_matrix/client/v3/account/whoami', token, actor: 'harness' });
    durations.push(reply.exchange.durationMs);
  }
  return typicalMs(durations);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
