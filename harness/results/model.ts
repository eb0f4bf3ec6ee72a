import type { Area, Level, Tentative } from '../catalogue.js';
import type { PeerTarget, TargetIdentity } from '../story/server-facts.js';

/** The second server of a federating pair, as results name it. */
export type PeerIdentity = Omit<PeerTarget, 'registration' | 'timings'>;

export type Verdict = 'pass' | 'fail' | 'skip' | 'error';

/**
 * Why a test or requirement was not checked although it could have been:
 * `slow`, its deadlines exceed the run's wait budget (`--max-wait`; `--slow` lifts it);
 * `rate-limited`, a step met a rate limit (429) whose advised wait did not fit the budget.
 */
export type NotChecked = 'slow' | 'rate-limited';

/** Version of the results.json layout; bumped on any incompatible change. */
export const RESULTS_SCHEMA_VERSION = 1;

export interface TestResult {
  name: string;
  /** The client kind the test ran its user as (`ClientKind.id`: fresh, two-devices, bot, background, ...), when the story named one. */
  clientKind?: string;
  verdict: Verdict;
  /** When the test started (ISO 8601); absent for entries no test produced. */
  startedAt?: string;
  durationMs: number;
  /** Number of HTTP exchanges the test made. */
  exchanges?: number;
  message?: string;
  /** Set on a skipped test that was not run for a reason other than the server's presence answers (`slow`: over the wait budget; `rate-limited`: a rate limit's wait over it). */
  skipReason?: NotChecked;
  /** Path, relative to the report directory, of the test's recorded exchanges. */
  evidence?: string;
  /** Set on an `error` that is a precondition or positive control not reached, not a harness fault. */
  inconclusive?: InconclusiveCause;
  /**
   * Set on a failing test when the harness can name what its failure rests on
   * from the run's evidence (harness/results/failure-cause.ts); reports group
   * requirements whose failures all rest on one cause (harness/reports/root-causes.ts).
   */
  cause?: FailureCause;
  /**
   * With `--repeat N`: this test's outcome in each run that produced it. The
   * test's own verdict, message and evidence are then those of the worst run
   * (`combine`), so a failure that occurred once is never hidden.
   */
  runs?: TestRun[];
  /** With `--repeat N`: set when the test's verdict was not the same in every run (or it appeared in only some). */
  flaky?: true;
}

/** One run's outcome of a test, in the results of several runs of one selection (`--repeat`). */
export interface TestRun {
  /** Which run, from 1. */
  run: number;
  verdict: Verdict;
  durationMs: number;
  message?: string;
  skipReason?: NotChecked;
  /** This run's own evidence file (kept for every run, a failing one included when later runs pass). */
  evidence?: string;
  inconclusive?: InconclusiveCause;
}

/**
 * What a failure rests on, derived from the evidence, never typed by hand:
 * `presence-outside-enum`, a presence value outside online, unavailable,
 * offline that the failing exchange or payload carried.
 */
export interface FailureCause {
  kind: 'presence-outside-enum';
  /** The offending value as JSON text (`"free_for_chat"`, `""`). */
  value: string;
  /**
   * Where it came from, part of the cause: `accepted`, a client request of the
   * test set it and got a 2xx answer; `given`, the server gave it out though
   * no request of the test set it (its own making, or another server's EDU).
   */
  seen: 'accepted' | 'given';
}

/** Why a check could not be made (`Inconclusive`), and which requirement explains it. */
export interface InconclusiveCause {
  reason: string;
  see?: string;
}

export interface RequirementResult {
  id: string;
  level: Level;
  area: Area;
  title: string;
  /** Set on the area `tentative` (PRES-TENT-*), from the catalogue: its proposal and status. Reported apart; gates only with `--fail-on tentative`. */
  tentative?: Tentative;
  verdict: Verdict;
  /**
   * Set when the verdict is `skip` because tests that would have given a
   * verdict were not run (`slow`: over the wait budget). Such a requirement
   * was not checked at all; reports count it apart from other skips.
   */
  notChecked?: NotChecked;
  tests: TestResult[];
  /** With `--repeat N`: the requirement's verdict in each run that reached it. */
  runs?: Array<{ run: number; verdict: Verdict }>;
  /** With `--repeat N`: set when the requirement's verdict was not the same in every run. */
  flaky?: true;
}

/** Something the harness noticed about the target as a whole, before any test ran. */
export interface Diagnosis {
  /** Machine-readable: `presence-disabled` (see harness/runner/presence-diagnosis.ts). */
  code: 'presence-disabled';
  /** One line for the console and the reports. */
  message: string;
}

export interface Results {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** With a federating pair (--target a+b): the first server; `peer` is the second, where users with its server name lived. */
  target: TargetIdentity & {
    peer?: PeerIdentity;
    /** What the run assumed about the target's timers that nobody declared (harness/timings.ts: timingAssumptions), one line each. */
    assumptions?: string[];
    /** The timers the target declared, which every deadline of the run was derived from (the report's timelines shade them). */
    timings?: import('../timings.js').TargetTimings;
    /** Epoch ms at which the server was started (or first contacted): the phase of its periodic jobs. */
    serverStartedAt?: number;
    /** Epoch ms at which a server the harness started first answered (`StartedFacts.readyAt`). */
    serverReadyAt?: number;
  };
  seed: number;
  startedAt: string;
  durationMs: number;
  /** The run's wait budget (`--max-wait`) in ms; null when `--slow` lifted it. Absent in results of older versions. */
  maxWaitMs?: number | null;
  /** Set when the run was cut short (Ctrl-C, SIGTERM, a harness crash); verdicts are partial. */
  interrupted?: string;
  /** What the preflight noticed about the target (for example that presence looks disabled). */
  diagnoses?: Diagnosis[];
  /** With `--repeat N`: how many runs of the selection these results merge (absent for a single run). */
  repeat?: number;
  /** The test users the run registered, and what became of them at its end (harness/users/). Absent in results of older versions. */
  users?: UsersOutcome;
  requirements: RequirementResult[];
}

/**
 * The test users a run registered and whether it removed them (each left
 * its rooms and was deactivated). A user left active is a warning, never a
 * verdict: it says nothing of the server's presence module.
 */
export interface UsersOutcome {
  /** Accounts the run created on the server(s) under test (its preflight's included). */
  made: number;
  deactivated: number;
  /** Accounts the clean-up tried and could not remove (`notCleanedUp` names them). */
  failed: number;
  /** User IDs of the accounts left active, when some were. */
  notCleanedUp?: string[];
  /** The first of their causes, one line. */
  cause?: string;
  /**
   * Why no clean-up was tried: `kept` (--keep-users), `removed-with-server`
   * (the run removes the server and its data, its users with it: embedded
   * targets, containers), `target-lost` (the server went away mid-run).
   */
  skipped?: 'kept' | 'removed-with-server' | 'target-lost';
  /** How long the clean-up took, ms. */
  durationMs?: number;
}

/** What `evidence/<ID>/<test>.json` holds: one test's redacted evidence. */
export interface EvidenceFile {
  /** The test's full name (requirement title > test name). */
  test: string;
  verdict: Verdict;
  message?: string;
  /** The client kind the test ran its user as (`ClientKind.id`), when the story named one. */
  clientKind?: string;
  /** What the test's last wait saw (the server's state when it gave up). */
  lastObserved?: unknown;
  /** When the last wait saw `lastObserved` (epoch ms): the observation a failed wait ended on. */
  lastObservedAt?: number;
  /** The story's waits: what for, since, until which deadline, when each ended (epoch ms). */
  waits?: import('../story/client/recorder.js').RecordedWait[];
  violations: import('../story/client/recorder.js').Violation[];
  /** How the harness derived its deadlines (the round-trip allowance used). */
  notes?: string[];
  exchanges: import('../story/client/recorder.js').Exchange[];
}

/** The outcome of one test as collected from the runner, before aggregation. */
export interface CollectedTest {
  requirementId: string;
  name: string;
  fullName: string;
  verdict: Verdict;
  startedAt?: string;
  durationMs: number;
  message?: string;
  inconclusive?: InconclusiveCause;
  /** Set when the story was skipped for exceeding the wait budget. */
  slow?: import('../story/budget.js').SlowMeta;
  /** Set when the story was skipped because a rate limit could not be waited out within the budget. */
  rateLimited?: import('../story/budget.js').RateLimitedMeta;
  evidence?: import('../story/requirement.js').EvidenceMeta;
}

/** One run's output in memory, before anything is redacted or written (harness/reports/report-folder.ts writes it). */
export interface RunRecord {
  results: Results;
  /** Each test's evidence, keyed by its path relative to the report folder (`TestResult.evidence`). */
  evidence: ReadonlyMap<string, EvidenceFile>;
}
