import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { HarnessError } from '../errors.js';
import type { OwnedServer, ProcessExit } from './owned-server.js';

/**
 * Ports this process handed out: a port is free when asked for and bound
 * only later, by a server that takes seconds to boot; meanwhile the kernel
 * may offer it again. Runs side by side in one process (`run --target a,b`,
 * a pair's proxy and servers) must not be given the same port twice.
 */
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1 that this process has not handed out before. */
export async function freePort(): Promise<number> {
  return unusedPort(kernelPort, handedOut);
}

/** Asks `ask` for ports until one not in `given` comes (a few tries; the kernel rarely repeats itself), and notes it there. */
export async function unusedPort(ask: () => Promise<number>, given: Set<number>): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = await ask();
    if (!given.has(port) || tries >= 20) {
      given.add(port);
      return port;
    }
  }
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether nothing listens on 127.0.0.1:`port` (it can be bound now). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether a process with this pid exists (one we may not signal counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Environment variable that tags every process the harness starts with its run's report directory. */
export const OWNER_ENV = 'PRESENCE_CONFORMANCE_OWNER';

/** PIDs of live processes tagged with `owner` (Linux /proc); how tests prove nothing was left running. */
export function processesOwnedBy(owner: string): number[] {
  const needle = `${OWNER_ENV}=${owner}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

// Runs the real command through a tiny Python shim that asks the kernel to
// SIGTERM it when this Node process dies, however it dies (even SIGKILL), so
// no homeserver outlives the harness.
const PDEATHSIG_SHIM =
  'import ctypes, os, signal, sys; ctypes.CDLL(None).prctl(1, signal.SIGTERM); os.execv(sys.argv[1], sys.argv[1:])';

/**
 * A python for the parent-death shim of a server that brings no python of its
 * own (any python3 will do), or a one-line explanation of what to install.
 */
export function shimPython(who: string): string {
  const command = process.env.PRESENCE_CONFORMANCE_PYTHON ?? 'python3';
  const probe = spawnSync(command, ['-c', 'import ctypes'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new HarnessError(`${who} needs python3 (to stop the server should the harness die), but "${command}" could not be run; install python3 or set PRESENCE_CONFORMANCE_PYTHON`);
  }
  return command;
}

export interface ManagedProcessOptions {
  /** A python interpreter, used for the parent-death shim. */
  python: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** File that receives stdout and stderr. */
  logFile: string;
}

/**
 * A child process the harness owns: its own process group (so a terminal's
 * Ctrl-C reaches the harness, which then stops it in order), output to a log
 * file, and a stop that escalates from SIGTERM to SIGKILL.
 */
export class ManagedProcess implements OwnedServer {
  private readonly child: ChildProcess;
  private exitCode: number | null | undefined = undefined;
  private stopRequested = false;
  private readonly exit: Promise<ProcessExit>;
  readonly exited: Promise<number | null>;

  constructor(options: ManagedProcessOptions) {
    const log = openSync(options.logFile, 'a');
    this.child = spawn(options.python, ['-c', PDEATHSIG_SHIM, options.command, ...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve({ code, signal, at: Date.now() });
      });
      this.child.once('error', () => {
        this.exitCode = -1;
        resolve({ code: -1, signal: null, at: Date.now() });
      });
    });
    this.exited = this.exit.then(() => this.exitCode ?? null);
  }

  /**
   * Resolves when the process ends without the harness having asked it to
   * stop (it crashed, or someone else killed it); never resolves otherwise.
   */
  get died(): Promise<ProcessExit> {
    return this.exit.then((exit) => (this.stopRequested ? new Promise<never>(() => undefined) : exit));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get handle(): string {
    return `pid ${this.child.pid ?? '?'}`;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGTERM to the process group, then SIGKILL after `graceMs`. Resolves once it is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopRequested = true;
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  }
}
