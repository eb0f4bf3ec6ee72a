import { readFile } from 'node:fs/promises';
import { redactText } from '../redact.js';
import type { OwnedServer, ProcessExit } from '../targets/owned-server.js';
import { probeVersions } from '../targets/probe.js';
import type { StartedTarget } from '../targets/target.js';

/** The target went away mid-run. */
export interface TargetLoss {
  /** One line: what, when (into the run), how (exit code or signal; failed probes) and the server's last log line. */
  line: string;
  /** Epoch ms from which the target is known or suspected gone: results given after it are not trusted. */
  since: number;
}

/**
 * How an external target is judged gone: probes of `/_matrix/client/versions`
 * every PROBE_EVERY_MS, each given PROBE_TIMEOUT_MS; it is lost once
 * LOST_AFTER_PROBES probes in a row have failed over at least LOST_AFTER_MS.
 * A slow or briefly overloaded server answers a probe within 10 s at least
 * once in 15 s; a server that does not has stopped answering for the run's
 * purposes, since every deadline of a story is shorter than that.
 */
export const WATCHDOG: Readonly<Watchdog> = { PROBE_EVERY_MS: 2_000, PROBE_TIMEOUT_MS: 10_000, LOST_AFTER_PROBES: 3, LOST_AFTER_MS: 15_000 };

/** The watchdog's settings (WATCHDOG). */
export interface Watchdog {
  PROBE_EVERY_MS: number;
  PROBE_TIMEOUT_MS: number;
  LOST_AFTER_PROBES: number;
  LOST_AFTER_MS: number;
}

export interface WatchOptions {
  target: StartedTarget;
  /** The homeserver process or container, if the harness started it: its end is the loss. */
  process?: OwnedServer;
  /** Epoch ms the run (or self-check) started; the line says how long into it the target went. */
  runStartedAt: number;
  /** What started then, for the line (default "the run"). */
  runName?: string;
  /** Called at most once. */
  onLost: (loss: TargetLoss) => void;
  /** Overrides WATCHDOG (tests). */
  watchdog?: Partial<Watchdog>;
}

/** A watch over a target for the rest of a run. */
export interface TargetWatch {
  /**
   * Resolves once the watch knows whether the target is still there; call it
   * when the suites end, before their results are judged (a dead server makes
   * every test fail at once, before any watchdog could decide). A live target
   * settles at once; a failing one once it answers again or is declared lost.
   */
  settle(): Promise<void>;
  /** Ends the watch; call it before stopping the server. */
  stop(): void;
}

/** A process exit that lands later than this after the last test result is not the run's concern. */
const EXIT_SETTLE_MS = 250;

/**
 * Watches a target for the rest of a run: an embedded server's process
 * exiting by itself, or an external server that stops answering.
 */
export function watchTarget(options: WatchOptions): TargetWatch {
  let ended = false;
  const lost = (loss: TargetLoss) => {
    if (ended) return;
    ended = true;
    options.onLost(loss);
  };
  let probes: ProbeLoop | undefined;
  const stop = () => {
    ended = true;
    probes?.wake();
  };
  if (options.process) {
    const { process } = options;
    // A request the exit cut short can fail a test a moment before the exit
    // itself is seen: results from a second before it are not trusted either.
    const reported = process.died.then(async (exit) => lost({ line: await exitLine(options, process.handle, exit), since: exit.at - 1_000 }));
    return { stop, settle: () => (ended ? Promise.resolve() : Promise.race([reported, delay(EXIT_SETTLE_MS)])) };
  }
  probes = new ProbeLoop(options, () => ended, lost);
  void probes.run();
  return { stop, settle: () => (ended ? Promise.resolve() : probes.settle()) };
}

async function exitLine(options: WatchOptions, handle: string, exit: ProcessExit): Promise<string> {
  const how = exit.signal ? `killed by ${exit.signal}` : `with exit code ${exit.code}`;
  const log = options.target.logFile;
  const tail = log ? ((await readFile(log, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '') : '';
  const last = tail ? `; last log line: ${redactText(tail).slice(0, 200).trimEnd()}` : `; its log (${log ?? 'none'}) is empty`;
  return `${options.target.serverVersion} (${handle}) exited ${into(options, exit.at)}, ${how}${last}`;
}

/** The watchdog of an external target (see WATCHDOG). */
class ProbeLoop {
  private readonly w: Watchdog;
  private failures = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly options: WatchOptions,
    private readonly ended: () => boolean,
    private readonly lost: (loss: TargetLoss) => void,
  ) {
    this.w = { ...WATCHDOG, ...options.watchdog };
  }

  async run(): Promise<void> {
    let firstFailure: number | undefined;
    let lastAnswer = Date.now();
    while (!this.ended()) {
      const sent = Date.now();
      try {
        await probeVersions(this.options.target.baseUrl, this.w.PROBE_TIMEOUT_MS);
        firstFailure = undefined;
        lastAnswer = sent;
        this.failures = 0;
        this.wake();
      } catch (cause) {
        firstFailure ??= sent;
        this.failures++;
        if (this.failures >= this.w.LOST_AFTER_PROBES && Date.now() - firstFailure >= this.w.LOST_AFTER_MS) {
          const why = cause instanceof Error ? cause.message : String(cause);
          this.lost({
            line: `${this.options.target.serverVersion} at ${this.options.target.baseUrl} stopped answering ${into(this.options, firstFailure)}: ${this.failures} probes of /_matrix/client/versions in a row failed over ${((Date.now() - firstFailure) / 1000).toFixed(0)} s (last: ${why})`,
            // It may have gone any time after it last answered.
            since: lastAnswer,
          });
          break;
        }
      }
      await this.pause(Math.max(0, this.w.PROBE_EVERY_MS - (Date.now() - sent)));
    }
    this.wake();
  }

  /** One probe now; if it fails, waits for the loop to see an answer or declare the target lost. */
  async settle(): Promise<void> {
    try {
      await probeVersions(this.options.target.baseUrl, this.w.PROBE_TIMEOUT_MS);
      return;
    } catch {
      // Failing: the loop decides, as it does mid-run.
    }
    if (this.ended()) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Ends a pause and releases whoever waits in `settle` (a probe answered, or the watch ended). */
  wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
    this.cutPause?.();
  }

  private cutPause: (() => void) | undefined;

  /** A pause between probes that `stop` cuts short, so the watch never holds a finished run's process. */
  private pause(ms: number): Promise<void> {
    if (this.ended()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cutPause = done;
    });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function into(options: WatchOptions, at: number): string {
  return `${((at - options.runStartedAt) / 1000).toFixed(1)} s into ${options.runName ?? 'the run'}`;
}
