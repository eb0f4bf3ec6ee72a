import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { matchingIds } from '../catalogue.js';
import { closePools } from '../story/client/http.js';
import { HarnessError } from '../errors.js';
import type { RequirementResult } from '../results/model.js';
import { ConformanceRun, type RunOutcome } from '../runner/run.js';
import { TargetOwnership, type TargetFlags } from '../runner/start-target.js';
import { watchTarget, type TargetWatch } from '../runner/target-watch.js';
import { definitionOf, kindsThat, type TargetKind } from '../targets/registry.js';
import type { StartedTarget } from '../targets/target.js';
import type { Mutant } from './mutant.js';
import { presenceDisabled } from './mutants/wholesale.js';
import { FaultProxy, type Latency } from './proxy.js';
import { PRESENCE_DISABLED } from '../runner/presence-diagnosis.js';
import type { LatencyBaseline, MutantReport, SelfCheckReport } from './report.js';
import { differences, falseBlames, judge, latencyErrors, mutantScope, recheckBlames, testsBroken, verdictsOf, type FalseBlame } from './verdicts.js';

export interface SelfCheckOptions extends TargetFlags {
  target: TargetKind;
  /** `--only`: restricts every run (direct, baseline and mutants) to these requirements. */
  only?: string;
  mutants: readonly Mutant[];
  reportDir: string;
  seed: number;
  /** `--keep-users`: the runs leave their test users on a url target (harness/users/). */
  keepUsers?: boolean;
  /** Mutant runs at once, each behind its own proxy. */
  concurrency: number;
  /** Each run's wait budget per story (`--max-wait`; null with `--slow`, as for `run`). */
  maxWaitMs?: number | null;
  /**
   * Also run the presence-disabled stage (`PRESENCE_DISABLED_STAGE`): the
   * suites against a second embedded Synapse booted with `presence.enabled:
   * false`, after the mutants, once the first server is stopped.
   */
  presenceDisabledStage?: boolean;
  /**
   * Also run the suites through a proxy that only delays every response by
   * this much (latency mode), beside the direct run: its verdicts must equal
   * the direct run's, with no `error`, or the self-check fails.
   */
  latency?: Latency;
  log: (line: string) => void;
}

/** Name of the stage that runs the suites against a real Synapse with presence disabled. */
export const PRESENCE_DISABLED_STAGE = 'synapse-presence-disabled';

/**
 * The self-check: boots or reaches the target once, runs the suites directly
 * and through a faithful proxy (which must agree), then once per mutant
 * through a proxy injecting that mutant's fault, and judges each mutant
 * caught, masked or survived against the faithful baseline. Everything it
 * starts (server, proxies, runs) is stopped when it ends, also when
 * interrupted (`interrupt()`).
 */
export class SelfCheck {
  private readonly startedAt = Date.now();
  private readonly owned = new TargetOwnership();
  /** The presence-disabled Synapse of the last stage, once started. */
  private stageOwned: TargetOwnership | undefined;
  private target: StartedTarget | undefined;
  private interruption: string | undefined;
  /** The one line saying how the server went away mid-check, if it did (`watchTarget`). */
  private lost: string | undefined;
  private readonly watches: TargetWatch[] = [];
  private readonly runs = new Set<ConformanceRun>();
  private readonly proxies = new Set<FaultProxy>();

  constructor(private readonly options: SelfCheckOptions) {}

  /** Runs to the end; a harness failure is returned in the report, not thrown. */
  async execute(): Promise<SelfCheckReport> {
    const { options } = this;
    const selected = matchingIds(options.only);
    let failure: string | undefined;
    let direct: RunOutcome | undefined;
    let faithful: RunOutcome | undefined;
    let faithfulProxy: FaultProxy | undefined;
    let latency: LatencyBaseline | undefined;
    const mutants: MutantReport[] = [];
    try {
      await mkdir(options.reportDir, { recursive: true });
      this.target = await this.owned.start({ target: options.target, url: options.url, container: options.container, binaries: options.binaries, reportDir: options.reportDir, log: options.log });
      this.watch(this.target, this.owned);
      this.throwIfInterrupted();
      const shared: StartedTarget = { ...this.target, stop: async () => {} };

      // Without a mutant to judge, the no-mutant run has nothing to do.
      const judging = options.mutants.length > 0 || Boolean(options.presenceDisabledStage);
      options.log(`self-check: the suites directly${judging ? ', through the proxy without a mutant' : ''}${options.latency ? `${judging ? ',' : ''} and through a proxy adding ${options.latency.delayMs} ± ${options.latency.jitterMs} ms to every response` : ''}`);
      faithfulProxy = judging ? await this.proxy() : undefined;
      const latencyProxy = options.latency ? await this.proxy(undefined, options.latency) : undefined;
      const timed = async (name: string, target: StartedTarget) => {
        const started = Date.now();
        return { outcome: await this.run(name, target, selected), ms: Date.now() - started };
      };
      const [directRun, faithfulRun, latencyRun] = await Promise.all([
        timed('direct', shared),
        faithfulProxy ? timed('no-mutant', { ...shared, baseUrl: faithfulProxy.url }) : undefined,
        latencyProxy ? timed('latency', { ...shared, baseUrl: latencyProxy.url }) : undefined,
      ]);
      direct = directRun.outcome;
      faithful = faithfulRun?.outcome;
      if (faithfulProxy) await this.release(faithfulProxy);
      if (latencyProxy) await this.release(latencyProxy);
      for (const outcome of [direct, faithful, latencyRun?.outcome]) {
        if (outcome?.failure) throw new HarnessError(`baseline run failed: ${outcome.failure.message}`);
      }
      if (latencyRun && latencyProxy) {
        latency = latencyBaseline(options.latency!, direct, latencyRun.outcome, latencyProxy.requests, directRun.ms, latencyRun.ms);
        const changed = latency.differences.map((d) => `${d.id} ${d.before}->${d.after}`);
        options.log(`self-check: latency run: ${changed.length ? `VERDICTS DIFFER ${changed.join(', ')}` : 'same verdicts as the direct run'}; ${latency.errors.length ? `ERROR ${latency.errors.map((e) => e.id).join(', ')}` : 'no error'} (${(latencyRun.ms / 1000).toFixed(1)} s, direct ${(directRun.ms / 1000).toFixed(1)} s)`);
      }
      const baseline = faithful?.results.requirements ?? [];

      const queue = [...options.mutants];
      const worker = async () => {
        for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
          if (this.interruption || this.lost) return;
          try {
            mutants.push(await this.checkMutant(mutant, shared, selected, baseline));
          } catch (cause) {
            const note = cause instanceof Error ? cause.message : String(cause);
            mutants.push({ name: mutant.name, bug: mutant.bug, violates: mutant.violates, scope: [], status: 'error', caughtBy: [], otherChanges: [], injected: {}, requests: 0, durationMs: 0, note });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
      this.throwIfInterrupted();
      if (options.presenceDisabledStage) mutants.push(await this.presenceDisabledStage(selected, baseline));
    } catch (cause) {
      failure = cause instanceof Error ? cause.message : String(cause);
    } finally {
      await this.shutdown();
    }
    // A lost server is the one cause of whatever failed after it (exit 2).
    if (this.lost) failure = this.lost;

    const order = new Map([...options.mutants.map((m) => m.name), PRESENCE_DISABLED_STAGE].map((name, i) => [name, i]));
    mutants.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    const proxyChanges = direct && faithful ? differences(verdictsOf(direct.results.requirements), verdictsOf(faithful.results.requirements)) : [];
    return {
      schemaVersion: 1,
      target: {
        kind: options.target,
        serverVersion: this.target?.serverVersion ?? 'unknown',
      },
      seed: options.seed,
      only: options.only,
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Date.now() - this.startedAt,
      ...(this.interruption ? { interrupted: this.interruption } : {}),
      ...(failure ? { failure } : {}),
      baseline: {
        direct: direct ? Object.fromEntries(verdictsOf(direct.results.requirements)) : {},
        noMutant: faithful ? Object.fromEntries(verdictsOf(faithful.results.requirements)) : {},
        // Without mutants there is no no-mutant run, and nothing it could be unfaithful to.
        proxyFaithful: !this.lost && (faithful ? Boolean(direct) && proxyChanges.length === 0 : Boolean(direct) && options.mutants.length === 0 && !options.presenceDisabledStage),
        differences: proxyChanges,
        proxiedRequests: faithfulProxy?.requests ?? 0,
        ...(latency ? { latency } : {}),
      },
      mutants,
    };
  }

  /**
   * Watches a server the self-check started or reached: should it go away,
   * every run stops with the loss's one line as its cause, and so does the
   * self-check (a failure, not an interruption: exit 2).
   */
  private watch(target: StartedTarget, owned: TargetOwnership): void {
    this.watches.push(
      watchTarget({
        target,
        process: owned.process,
        runStartedAt: this.startedAt,
        runName: 'the self-check',
        onLost: (loss) => {
          if (this.interruption || this.lost) return;
          this.lost = loss.line;
          void Promise.all([...this.runs].map((run) => run.interrupt(loss.line)));
        },
      }),
    );
  }

  /** Stops every run, proxy and the server at the next opportunity; `execute` then reports what it has. */
  async interrupt(reason: string): Promise<void> {
    if (this.interruption) return;
    this.interruption = reason;
    await Promise.all([...this.runs].map((run) => run.interrupt(reason)));
    await Promise.all([this.owned.stop(), this.stageOwned?.stop()]);
  }

  /** Stops the homeserver at once (second Ctrl-C). */
  async kill(): Promise<void> {
    await Promise.all([...this.runs].map((run) => run.kill()));
    await Promise.all([...this.proxies].map((p) => p.stop()));
    await Promise.all([this.owned.stop(0), this.stageOwned?.stop(0)]);
  }

  /**
   * The suites against a real Synapse with `presence.enabled: false`, judged
   * like the presence-disabled mutant it imitates (same \`violates\`): the run
   * must diagnose that presence looks disabled, and any requirement it fails
   * outside that list (a visibility requirement failed for a leak it never
   * saw, say) is a false blame. Only one homeserver runs at a time: the first
   * is stopped before this one boots.
   */
  private async presenceDisabledStage(selected: string[], baseline: readonly RequirementResult[]): Promise<MutantReport> {
    const base = {
      name: PRESENCE_DISABLED_STAGE,
      bug: 'a real Synapse booted with presence.enabled: false (no proxy), judged against the presence-disabled mutant\'s violates list',
      violates: presenceDisabled.violates,
      scope: selected,
      injected: {},
      requests: 0,
    };
    const started = Date.now();
    if (!definitionOf(this.options.target).capabilities.disablePresence) {
      const able = kindsThat((definition) => definition.capabilities.disablePresence);
      return { ...base, status: 'not-run', caughtBy: [], otherChanges: [], durationMs: 0, note: `needs a target that can boot with presence disabled (--target ${able.join('|')})` };
    }
    for (const watch of this.watches.splice(0)) watch.stop();
    await this.target?.stop();
    await this.owned.release();
    this.throwIfInterrupted();
    const name = PRESENCE_DISABLED_STAGE;
    this.stageOwned = new TargetOwnership();
    let outcome: RunOutcome;
    try {
      const reportDir = path.join(this.runsDir(), name);
      await mkdir(reportDir, { recursive: true }); // the server's log goes there before the run prepares it
      const target = await this.stageOwned.start({ target: this.options.target, binaries: this.options.binaries, reportDir, log: this.options.log, presenceDisabled: true });
      this.watch(target, this.stageOwned);
      this.throwIfInterrupted();
      outcome = await this.run(name, { ...target, stop: async () => {} }, selected);
    } finally {
      await this.stageOwned.release();
    }
    const reportDir = path.relative(this.options.reportDir, path.join(this.runsDir(), name));
    const common = { ...base, durationMs: Date.now() - started, reportDir };
    if (outcome.failure) return { ...common, status: 'error', caughtBy: [], otherChanges: [], note: outcome.failure.message };
    const found = outcome.results.diagnoses?.find((d) => d.code === PRESENCE_DISABLED);
    const results = outcome.results.requirements;
    const verdict = judge(presenceDisabled, verdictsOf(baseline), verdictsOf(results), testsBroken(baseline, results));
    const blames = falseBlames(presenceDisabled.violates, baseline, results);
    const blamed = [...new Set(blames.map((b) => b.id))];
    this.options.log(`self-check: ${name}: ${found ? 'diagnosed "presence looks disabled"' : 'NO presence-disabled DIAGNOSIS'}${blamed.length ? `; FALSE BLAME ${blamed.join(', ')}` : '; no false blame'}`);
    return {
      ...common,
      ...verdict,
      falseBlames: blames,
      diagnosis: { expected: PRESENCE_DISABLED, ...(found ? { found: found.message } : {}) },
    };
  }

  private async checkMutant(mutant: Mutant, shared: StartedTarget, selected: string[], baseline: readonly RequirementResult[]): Promise<MutantReport> {
    const scope = mutantScope(mutant, selected);
    const base = { name: mutant.name, bug: mutant.bug, violates: mutant.violates, scope };
    const notRun =
      scope.length === 0 ? 'none of its requirements is selected (--only)'
      : mutant.needsPair && !shared.federation ? 'acts on the federation link: needs a federating pair (--target synapse+synapse)'
      : undefined;
    if (notRun) return { ...base, status: 'not-run', caughtBy: [], otherChanges: [], injected: {}, requests: 0, durationMs: 0, note: notRun };
    const started = Date.now();
    const { outcome, proxy } = await this.runThroughProxy(mutant, shared, `mutant-${mutant.name}`, scope);
    const reportDir = path.relative(this.options.reportDir, path.join(this.runsDir(), `mutant-${mutant.name}`));
    const common = { ...base, injected: proxy.injected, requests: proxy.requests, durationMs: Date.now() - started, reportDir };
    if (outcome.failure) {
      return { ...common, status: 'error', caughtBy: [], otherChanges: [], note: outcome.failure.message };
    }
    const broken = testsBroken(baseline, outcome.results.requirements);
    const verdict = judge(mutant, verdictsOf(baseline), verdictsOf(outcome.results.requirements), broken);
    const { confirmed: blames, unconfirmed } = await this.recheck(mutant, shared, baseline, falseBlames(mutant.violates, baseline, outcome.results.requirements));
    const by = [...new Set([...verdict.caughtBy.map((c) => c.id), ...broken.map((b) => b.id)])];
    const blamed = [...new Set(blames.map((b) => b.id))];
    const flaky = [...new Set(unconfirmed.map((b) => b.id))];
    const line = `${verdict.status.toUpperCase().padEnd(8)} ${mutant.name}${by.length ? ` by ${by.join(', ')}` : ''}${blamed.length ? `; FALSE BLAME ${blamed.join(', ')}` : ''}${flaky.length ? `; flaky, not reproduced: ${flaky.join(', ')}` : ''} (${Math.round((Date.now() - started) / 1000)} s)`;
    this.options.log(`self-check: ${line}`);
    return { ...common, ...verdict, testsBroken: broken, falseBlames: blames, ...(unconfirmed.length ? { unconfirmedBlames: unconfirmed } : {}) };
  }

  /**
   * Runs the mutant once more over the requirements it was blamed for. A
   * false blame must be reproducible: one the second run does not repeat is a
   * verdict that flipped between two runs of the same server and mutant (the
   * server under the self-check's own load, or a racing story), reported as
   * flaky rather than charged to the suite's precision.
   */
  private async recheck(mutant: Mutant, shared: StartedTarget, baseline: readonly RequirementResult[], blames: FalseBlame[]): Promise<{ confirmed: FalseBlame[]; unconfirmed: FalseBlame[] }> {
    if (blames.length === 0) return { confirmed: blames, unconfirmed: [] };
    const { outcome: again } = await this.runThroughProxy(mutant, shared, `mutant-${mutant.name}-recheck`, [...new Set(blames.map((b) => b.id))]);
    if (again.failure) return { confirmed: blames, unconfirmed: [] };
    return recheckBlames(blames, falseBlames(mutant.violates, baseline, again.results.requirements));
  }

  /** One run of the suites in `scope` through a fresh proxy injecting `mutant`; the proxy (with its counts) is released after. */
  private async runThroughProxy(mutant: Mutant, shared: StartedTarget, name: string, scope: string[]): Promise<{ outcome: RunOutcome; proxy: FaultProxy }> {
    const proxy = await this.proxy(mutant);
    try {
      return { outcome: await this.run(name, { ...shared, baseUrl: proxy.url }, scope), proxy };
    } finally {
      await this.release(proxy);
    }
  }

  private runsDir(): string {
    return path.join(this.options.reportDir, 'runs');
  }

  private async run(name: string, target: StartedTarget, scope: string[]): Promise<RunOutcome> {
    this.throwIfInterrupted();
    const run = new ConformanceRun({
      target: this.options.target,
      started: target,
      only: this.options.only,
      scope,
      quiet: true,
      reportDir: path.join(this.runsDir(), name),
      // Verdicts are judged in memory; the folder is for looking into a run's failures.
      report: 'results',
      seed: this.options.seed,
      keepUsers: this.options.keepUsers,
      maxWaitMs: this.options.maxWaitMs,
      gate: { failOn: 'must' },
      log: (line) => this.options.log(`[${name}] ${line}`),
    });
    this.runs.add(run);
    try {
      const outcome = await run.execute();
      // A server that died under the run fails its tests at once: judge no
      // run before the watch knows whether the server is still there.
      await Promise.all(this.watches.map((watch) => watch.settle()));
      if (this.lost) throw new HarnessError(this.lost);
      return outcome;
    } finally {
      this.runs.delete(run);
    }
  }

  private async proxy(mutant?: Mutant, latency?: Latency): Promise<FaultProxy> {
    const proxy = new FaultProxy({ upstream: this.target!.baseUrl, behaviour: mutant?.create({ timings: this.target!.timings }), latency, federation: this.target!.federation });
    this.proxies.add(proxy);
    return proxy.start();
  }

  private async release(proxy: FaultProxy): Promise<void> {
    this.proxies.delete(proxy);
    await proxy.stop();
  }

  private throwIfInterrupted(): void {
    if (this.interruption) throw new HarnessError(`interrupted (${this.interruption})`);
    if (this.lost) throw new HarnessError(this.lost);
  }

  private async shutdown(): Promise<void> {
    for (const watch of this.watches.splice(0)) watch.stop();
    await Promise.all([...this.proxies].map((p) => this.release(p)));
    await this.target?.stop();
    await this.owned.release();
    await this.stageOwned?.release();
    await closePools();
  }
}

/**
 * The latency run judged against the direct run: changed verdicts, and the
 * errors latency caused (one the direct run has too, such as tuwunel's
 * PRES-FFC-ERRCODE with no refusal to judge, is the target's, not latency's).
 */
function latencyBaseline(latency: Latency, direct: RunOutcome, slowed: RunOutcome, proxiedRequests: number, directMs: number, latencyMs: number): LatencyBaseline {
  const requirements = slowed.results.requirements;
  return {
    delayMs: latency.delayMs,
    jitterMs: latency.jitterMs,
    verdicts: Object.fromEntries(verdictsOf(requirements)),
    differences: differences(verdictsOf(direct.results.requirements), verdictsOf(requirements)),
    errors: latencyErrors(direct.results.requirements, requirements),
    proxiedRequests,
    directMs,
    latencyMs,
  };
}
