/**
 * The loopback baseline (issue 21.4): the bench engine, unchanged, against
 * the echo server (echo-server.ts) in a child process on 127.0.0.1. The echo
 * server answers at once and hands presence to waiting syncs at once, so the
 * latency measured is what the harness adds (its requests, JSON, matching,
 * event loop) and the CPU figure is the harness's own work for that load.
 * A server's figures are only meaningful well above these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors.js';
import type { StartedTarget } from '../targets/target.js';
import { completeTimings } from '../timings.js';
import type { BenchBaseline, BenchStep, BenchTarget } from './model.js';

const MAIN = fileURLToPath(new URL('./echo-server-main.ts', import.meta.url));
/** How long the echo server may take to print its address (tsx compiles it first; the machine may be loaded). */
const START_TIMEOUT_MS = 30_000;
/**
 * The timings the baseline declares: the echo server delivers at once, so a
 * short deadline (5 s with the round trips) keeps the bench's drain short;
 * a delivery later than that is the harness falling behind, worth seeing.
 */
export const ECHO_TIMINGS = completeTimings({ deliveryMs: 2_000, slackMs: 1_000, checkIntervalMs: 1_000, idleTimeoutMs: 600_000, syncOnlineTimeoutMs: 600_000 });

/** The product name the echo server gives in bench.json (it has no version of its own). */
export const ECHO_SERVER = 'loopback echo server (harness/bench/echo-server.ts)';

/** Runs the bench against a target it is given and returns what it measured: the engine's `benchTarget` with the command's options. */
export type BenchDriver = (target: StartedTarget) => Promise<BenchTarget>;

/** A started echo server in its own process: where it listens, how to stop it. */
export interface EchoProcess {
  url: string;
  pid: number;
  /** What the echo server said on stderr so far: the requests it did not know. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the echo server in a child process and waits for its address. */
export async function startEchoProcess(): Promise<EchoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = () => stopChild(child);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new HarnessError(`the echo server did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.once('error', (e) => { clearTimeout(timer); reject(e); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new HarnessError(`the echo server exited (${code}) before listening: ${stderr.trim().split('\n').pop() ?? ''}`)); });
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        const url = (JSON.parse(line) as { url?: unknown }).url;
        if (typeof url === 'string' && url.startsWith('http://127.0.0.1:')) resolve(url);
        else reject(new HarnessError(`the echo server printed no loopback address: ${line}`));
      });
    });
    return { url, pid: child.pid!, stderr: () => stderr, stop };
  } catch (cause) {
    await stop();
    throw cause;
  }
}

/** Closes the child's stdin (its signal to stop), then SIGKILLs it if it has not gone within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => { clearTimeout(kill); resolve(); });
    child.stdin?.end();
  });
}

/** The echo server as a started target: a url target with open registration, the harness owning its process. */
export function echoTarget(echo: EchoProcess): StartedTarget {
  const now = Date.now();
  return {
    kind: 'url',
    baseUrl: echo.url,
    serverName: 'echo.localhost',
    serverVersion: ECHO_SERVER,
    registration: { kind: 'open' },
    timings: ECHO_TIMINGS,
    startedAt: now,
    readyAt: now,
    stop: echo.stop,
  };
}

/**
 * The baseline from what the bench measured against the echo server: the
 * figures of its largest step that delivered anything (the harness's
 * heaviest load). Fails when nothing was delivered: a baseline of nothing
 * would read as "the harness adds nothing".
 */
export function baselineOf(measured: BenchTarget): BenchBaseline {
  const delivered = measured.steps.filter((s: BenchStep) => s.latency.count > 0);
  const step = delivered.sort((a, b) => b.users - a.users)[0];
  if (!step) {
    const why = measured.error ?? measured.steps.map((s) => s.error).find((e) => e !== undefined) ?? 'no delivery was measured';
    throw new HarnessError(`the loopback baseline measured nothing: ${why}`);
  }
  return { users: step.users, latency: step.latency, harnessCpuSeconds: step.harnessCpuSeconds };
}

/**
 * Measures the baseline: starts the echo server, runs `drive` (the bench
 * engine with the command's options) against it, stops it whatever happens.
 */
export async function measureBaseline(drive: BenchDriver, log: (line: string) => void = () => undefined): Promise<BenchBaseline> {
  const echo = await startEchoProcess();
  try {
    return baselineOf(await drive(echoTarget(echo)));
  } finally {
    await echo.stop();
    // A request the echo server did not answer is the engine and the echo server disagreeing: say so.
    for (const line of echo.stderr().trim().split('\n').filter(Boolean)) log(`loopback echo server: ${line}`);
  }
}
