/**
 * bench.json: what `presence-conformance bench` measures (issue 21). One
 * source for the figures: the bench engine writes it, the HTML page, the
 * console table and the README section read it. Times are milliseconds,
 * CPU is seconds, memory MiB.
 */

/** The machine the figures were taken on: figures mean nothing without it. */
export interface BenchMachine {
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the bench started (a loaded machine skews every figure). */
  loadAverage: number;
}

/** What was asked for: replaying these with the seed reproduces the workload. */
export interface BenchParams {
  /** The step series: number of users per step (e.g. [10, 50, 100, 200]). */
  users: number[];
  /** Room sizes are drawn from this distribution (e.g. "2:0.5,5:0.3,20:0.2": size:weight). */
  roomSizes: string;
  /** How long each step's measured phase lasts. */
  stepSeconds: number;
  /** Presence changes per user per minute; messages and quiet spells likewise. */
  presenceChangesPerMinute: number;
  messagesPerMinute: number;
  seed: number;
  /** Hard bounds the bench never exceeds. */
  maxRequests: number;
  maxSeconds: number;
  /** How many targets ran side by side (harness CPU is then the whole process's, an upper bound per target). */
  targetsAtOnce?: number;
}

export interface LatencyFigures {
  /** Deliveries measured (one per roommate per presence change). */
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Presence shown to a user who shares no room with its subject: a failure of PRES-VIS-* under load. */
export interface BenchLeak {
  requirement: string;
  observer: string;
  subject: string;
  /** The sync response (redacted) that showed it, and when. */
  evidence: string;
  at: string;
}

export interface BenchStep {
  users: number;
  rooms: number;
  presenceChanges: number;
  latency: LatencyFigures;
  /** Deliveries that never came, and those that came past the declared deadline. */
  missing: number;
  late: number;
  /**
   * Deliveries that never came on their own because a later change of the
   * same user reached the roommate first (presence is state: a server may
   * coalesce); neither missing nor a latency sample.
   */
  superseded: number;
  /** The deadline a delivery had (from the target's declared timings). */
  deadlineMs: number;
  /**
   * Ordered pairs (observer, subject) of the step's users that share no
   * room: what the leak check watched. 0 would make "no leak" hollow.
   */
  unsharedPairs: number;
  /** The first leaks, with evidence (at most 20); `leakCount` counts them all. */
  leaks: BenchLeak[];
  leakCount: number;
  requests: number;
  /** Requests answered 429 (waited out, counted, never failures). */
  rateLimited: number;
  /** Long-polls that failed (no answer, or not 200); the client retried after a second. */
  failedSyncs: number;
  /** The server's processes (or container) over the measured phase. */
  serverCpuSeconds: number | null;
  serverPeakRssMiB: number | null;
  /**
   * The harness's own CPU over the same phase (process.cpuUsage): it must
   * stay well under the server's. With several targets side by side it is
   * the whole process's, theirs included.
   */
  harnessCpuSeconds: number;
  /** For a federating pair: what crossed the link. */
  link?: { edusPerSecond: number; bytesPerSecond: number };
  durationMs: number;
  /** Why the step stopped early or could not run, if it did. */
  error?: string;
}

export interface BenchTarget {
  target: string;
  /** Product and version as the server reports it. */
  server: string;
  steps: BenchStep[];
  error?: string;
}

/** The latency the harness itself adds, measured against a trivial echo server on the same machine. */
export interface BenchBaseline {
  /** The step (number of users) the figures are from: the largest that delivered. */
  users?: number;
  latency: LatencyFigures;
  harnessCpuSeconds: number;
}

export interface BenchResults {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  machine: BenchMachine;
  params: BenchParams;
  /** Null until the loopback echo baseline has been measured (h6's part). */
  baseline: BenchBaseline | null;
  targets: BenchTarget[];
}
