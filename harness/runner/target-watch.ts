import { readFile } from 'node:fs/promises';
import { redactText } from '../redact.js';
import type { ManagedProcess, ProcessExit } from '../targets/managed-process.js';
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
export const WATCHDOG = { PROBE_EVERY_MS: 2_000, PROBE_TIMEOUT_MS: 10_000, LOST_AFTER_PROBES: 3, LOST_AFTER_MS: 15_000 } as const;

export interface WatchOptions {
  target: StartedTarget;
  /** The homeserver process, if the harness started it: its exit is the loss. */
  process?: ManagedProcess;
  /** Epoch ms the run (or self-check) started; the line says how long into it the target went. */
  runStartedAt: number;
  /** What started then, for the line (default "the run"). */
  runName?: string;
  /** Called at most once. */
  onLost: (loss: TargetLoss) => void;
  /** Overrides WATCHDOG (tests). */
  watchdog?: Partial<typeof WATCHDOG>;
}

/**
 * Watches a target for the rest of a run: an embedded server's process
 * exiting by itself, or an external server that stops answering. Returns a
 * function that ends the watch (call it before stopping the server).
 */
export function watchTarget(options: WatchOptions): () => void {
  let ended = false;
  const lost = (loss: TargetLoss) => {
    if (ended) return;
    ended = true;
    options.onLost(loss);
  };
  if (options.process) {
    const { process } = options;
    // A request the exit cut short can fail a test a moment before the exit
    // itself is seen: results from a second before it are not trusted either.
    void process.died.then(async (exit) => lost({ line: await exitLine(options, process.pid, exit), since: exit.at - 1_000 }));
  } else {
    void probeLoop(options, () => ended, lost);
  }
  return () => {
    ended = true;
  };
}

async function exitLine(options: WatchOptions, pid: number | undefined, exit: ProcessExit): Promise<string> {
  const how = exit.signal ? `killed by ${exit.signal}` : `with exit code ${exit.code}`;
  const log = options.target.logFile;
  const tail = log ? ((await readFile(log, 'utf8').catch(() => '')).trim().split('\n').pop() ?? '') : '';
  const last = tail ? `; last log line: ${redactText(tail).slice(0, 200)}` : `; its log (${log ?? 'none'}) is empty`;
  return `${options.target.serverVersion} (pid ${pid ?? '?'}) exited ${into(options, exit.at)}, ${how}${last}`;
}

async function probeLoop(options: WatchOptions, ended: () => boolean, lost: (loss: TargetLoss) => void): Promise<void> {
  const w = { ...WATCHDOG, ...options.watchdog };
  let firstFailure: number | undefined;
  let lastAnswer = Date.now();
  let failures = 0;
  while (!ended()) {
    const sent = Date.now();
    try {
      await probeVersions(options.target.baseUrl, w.PROBE_TIMEOUT_MS);
      firstFailure = undefined;
      lastAnswer = sent;
      failures = 0;
    } catch (cause) {
      firstFailure ??= sent;
      failures++;
      if (failures >= w.LOST_AFTER_PROBES && Date.now() - firstFailure >= w.LOST_AFTER_MS) {
        const why = cause instanceof Error ? cause.message : String(cause);
        lost({
          line: `${options.target.serverVersion} at ${options.target.baseUrl} stopped answering ${into(options, firstFailure)}: ${failures} probes of /_matrix/client/versions in a row failed over ${((Date.now() - firstFailure) / 1000).toFixed(0)} s (last: ${why})`,
          // It may have gone any time after it last answered.
          since: lastAnswer,
        });
        return;
      }
    }
    // Unref'd: the watch must not keep a finished run's process alive.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, w.PROBE_EVERY_MS - (Date.now() - sent))).unref());
  }
}

function into(options: WatchOptions, at: number): string {
  return `${((at - options.runStartedAt) / 1000).toFixed(1)} s into ${options.runName ?? 'the run'}`;
}
