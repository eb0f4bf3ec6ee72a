/**
 * One `bench` command: each --target started (or reached) through the
 * runner's own start and ownership (harness/runner/start-target.ts), side
 * by side as memory allows (harness/runner/target-pool.ts), benched, its
 * test users removed where the server outlives the bench (as `run` does),
 * and stopped; an interrupt stops every target and ends with what was
 * measured so far.
 */
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { TargetOwnership } from '../../runner/start-target.js';
import { memoryOfRunMiB } from '../../runner/target-memory.js';
import { inPool, runsAtOnce } from '../../runner/target-pool.js';
import { closePools } from '../../story/client/http.js';
import { processesOwnedBy } from '../../targets/managed-process.js';
import type { ManagedContainer } from '../../targets/docker/managed-container.js';
import { TARGETS, type TargetKind } from '../../targets/registry.js';
import { newRunPrefix } from '../../user-id.js';
import { cleanUpUsers } from '../../users/clean-up.js';
import { UserLedger, usersChannelName } from '../../users/ledger.js';
import { serverOutlivesRun } from '../../users/server-outlives-run.js';
import { measureBaseline } from '../baseline.js';
import type { BenchBaseline, BenchResults, BenchTarget } from '../model.js';
import type { StartedTarget } from '../../targets/target.js';
import type { BenchOptions } from './bench-options.js';
import { benchTarget, type BenchTargetOptions } from './bench-target.js';
import { machine } from './report.js';
import { ContainerMeter, NO_METER, ProcMeter, procSource, type ServerMeter } from './server-meter.js';

/** How long removing a url target's bench users may take at the end (200 users, each leaving two rooms). */
const USERS_CLEAN_UP_MS = 180_000;

export class BenchRun {
  private readonly abort = new AbortController();
  private readonly owned: TargetOwnership[] = [];

  constructor(
    private readonly options: BenchOptions,
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {
    // Every user's requests listen to it: hundreds of listeners are the design, not a leak.
    setMaxListeners(0, this.abort.signal);
  }

  async execute(): Promise<BenchResults> {
    const startedAt = new Date();
    // The load when the bench started (the model's definition): a loaded machine skews every figure.
    const host = machine();
    const { options } = this;
    const kinds = options.target.targets;
    // The same policy as `run --target a,b` (harness/runner/target-pool.ts).
    const atOnce = runsAtOnce(kinds.map(memoryOfRunMiB), options.oneAtATime);
    if (kinds.length > 1) this.log(`${kinds.length} targets, ${atOnce} at a time${options.oneAtATime ? ' (--one-at-a-time)' : ''}`);
    const stopBy = startedAt.getTime() + options.maxSeconds * 1000;
    const baseline = options.skipBaseline ? null : await this.baseline(stopBy);
    const results = await inPool(kinds, atOnce, (kind) => this.benchOne(kind, stopBy), () => this.abort.signal.aborted);
    await closePools();
    return {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: host,
      params: {
        users: options.users,
        roomSizes: options.roomSizesText,
        stepSeconds: options.stepSeconds,
        presenceChangesPerMinute: options.rates.presenceChangesPerMinute,
        messagesPerMinute: options.rates.messagesPerMinute,
        seed: options.seed,
        maxRequests: options.maxRequests,
        maxSeconds: options.maxSeconds,
        targetsAtOnce: atOnce,
      },
      baseline,
      targets: results.map((r, i) => r ?? { target: kinds[i]!, server: 'unknown', steps: [], error: 'not run: interrupted' }),
    };
  }

  async interrupt(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.owned.map((o) => o.stop()));
  }

  async kill(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.owned.map((o) => o.stop(0)));
  }

  private async benchOne(kind: TargetKind, stopBy: number): Promise<BenchTarget> {
    const { options } = this;
    const reportDir = path.join(this.dir, kind);
    await mkdir(reportDir, { recursive: true });
    const log = (line: string) => this.log(`[${kind}] ${line}`);
    const ownership = new TargetOwnership();
    this.owned.push(ownership);
    const prefix = newRunPrefix();
    const ledger = new UserLedger(usersChannelName(prefix));
    let result: BenchTarget = { target: kind, server: 'unknown', steps: [] };
    try {
      // The start's progress lines name the target themselves.
      const started = await ownership.start({ target: kind, ...options.target, reportDir, log: this.log });
      if (this.abort.signal.aborted) throw new HarnessError('interrupted');
      log(`target ${started.serverVersion} at ${started.baseUrl}`);
      result = await benchTarget(started, this.workload({ name: kind, users: options.users, stopBy, prefix, ledger, meter: this.meter(kind, reportDir, ownership), log }));
      await this.removeUsers(kind, ledger, log);
      await started.stop();
    } catch (cause) {
      result.error = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      log(`could not bench: ${result.error}`);
    } finally {
      ledger.close();
      await ownership.release();
    }
    return result;
  }

  /**
   * The loopback baseline (issue 21.4, h6's harness/bench/baseline.ts): this
   * engine, unchanged, against a trivial echo server, alone before the
   * targets so that its figure is clean. Null when it could not be
   * measured (said why).
   */
  private async baseline(stopBy: number): Promise<BenchBaseline | null> {
    const log = (line: string) => this.log(`[baseline] ${line}`);
    const prefix = newRunPrefix();
    const ledger = new UserLedger(usersChannelName(prefix));
    const { options } = this;
    try {
      log(`the harness alone: ${Math.max(...options.users)} users against a loopback echo server (--skip-baseline skips it)`);
      return await measureBaseline((target) => benchTarget(target, this.workload({ name: 'baseline', users: [Math.max(...options.users)], stopBy, prefix, ledger, meter: NO_METER, log })), log);
    } catch (cause) {
      log(`not measured: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`);
      return null;
    } finally {
      ledger.close();
    }
  }

  /** A bench of one server (or the echo server): the flags' workload, and what differs per server. */
  private workload(own: Pick<BenchTargetOptions, 'name' | 'users' | 'stopBy' | 'prefix' | 'ledger' | 'meter' | 'log'>): BenchTargetOptions {
    const { options } = this;
    return {
      ...own,
      roomSizes: options.roomSizes,
      stepMs: options.stepSeconds * 1000,
      rates: options.rates,
      seed: options.seed,
      maxRequests: options.maxRequests,
      signal: this.abort.signal,
    };
  }

  /** How the server's cost is read: /proc for the processes an embedded server (or pair) runs, the engine's stats for a container, nothing for a url target. */
  private meter(kind: TargetKind, owner: string, ownership: TargetOwnership): ServerMeter {
    const type = TARGETS[kind].type;
    if (type === 'embedded' || type === 'pair') return new ProcMeter(procSource(() => processesOwnedBy(owner)));
    if (type === 'container') return new ContainerMeter(async () => (await (ownership.process as ManagedContainer).started).getId());
    return NO_METER;
  }

  /** As `run` does (harness/users/): a server that outlives the bench keeps no test user, unless --keep-users. */
  private async removeUsers(kind: TargetKind, ledger: UserLedger, log: (line: string) => void): Promise<void> {
    if (!serverOutlivesRun(kind) || this.options.keepUsers) return;
    const entries = ledger.all();
    if (entries.length === 0) return;
    log(`removing the bench's ${entries.length} test users (each leaves its rooms and is deactivated; --keep-users keeps them)`);
    const outcome = await cleanUpUsers(entries, { deadline: Date.now() + USERS_CLEAN_UP_MS });
    log(`test users: ${outcome.deactivated} of ${outcome.made} deactivated${outcome.failed.length ? `, ${outcome.failed.length} not (${outcome.firstCause ?? 'unknown cause'})` : ''}`);
  }
}
