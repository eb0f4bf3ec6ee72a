/**
 * What the server costs over the measured phase: CPU seconds and peak
 * resident memory. For processes the harness owns (an embedded server and
 * every process it started, tagged with the run's owner: harness/targets/boot.ts),
 * from /proc; for a container, from the engine's stats; nothing for a url
 * target (not ours to look into).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { DEFAULT_DOCKER_HOST } from '../../targets/docker/engine.js';

export interface ServerCost {
  cpuSeconds: number | null;
  peakRssMiB: number | null;
}

/** Samples the server's cost; `cost()` is over the samples since `start()`. */
export interface ServerMeter {
  start(): Promise<void>;
  sample(): Promise<void>;
  cost(): ServerCost;
}

/** A process's figures from /proc/<pid>/stat. */
export interface ProcStat {
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Resident set, in pages. */
  rssPages: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and
 * may itself hold spaces and parentheses, so fields are counted from the
 * last `)`: utime and stime are fields 14 and 15, rss field 24 (proc(5)).
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(fields[n - 3]);
  const [utime, stime, rss] = [field(14), field(15), field(24)];
  if (![utime, stime, rss].every(Number.isFinite)) return undefined;
  return { cpuTicks: utime + stime, rssPages: rss };
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** What the /proc meter reads: a seam for unit tests. */
export interface ProcSource {
  pids(): number[];
  stat(pid: number): string | undefined;
  ticksPerSecond: number;
  pageBytes: number;
}

export function procSource(pids: () => number[]): ProcSource {
  return {
    pids,
    stat: (pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return undefined; // gone meanwhile
      }
    },
    ticksPerSecond: getconf('CLK_TCK', 100),
    pageBytes: getconf('PAGESIZE', 4096),
  };
}

/**
 * CPU and peak RSS of a process tree from /proc. CPU is each process's
 * ticks at its last sample less those at `start()` (0 for a process born
 * later), summed: a process that ended keeps what it had spent when last
 * sampled. Peak RSS is the largest sum of the tree's RSS at one sample.
 */
export class ProcMeter implements ServerMeter {
  private readonly baseline = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private peakPages = 0;

  constructor(private readonly source: ProcSource) {}

  async start(): Promise<void> {
    this.baseline.clear();
    this.last.clear();
    this.peakPages = 0;
    for (const [pid, stat] of this.read()) this.baseline.set(pid, stat.cpuTicks);
    await this.sample();
  }

  async sample(): Promise<void> {
    let pages = 0;
    for (const [pid, stat] of this.read()) {
      this.last.set(pid, stat.cpuTicks);
      pages += stat.rssPages;
    }
    this.peakPages = Math.max(this.peakPages, pages);
  }

  cost(): ServerCost {
    let ticks = 0;
    for (const [pid, now] of this.last) ticks += now - (this.baseline.get(pid) ?? 0);
    return { cpuSeconds: round(ticks / this.source.ticksPerSecond), peakRssMiB: round((this.peakPages * this.source.pageBytes) / 2 ** 20) };
  }

  private read(): Array<[number, ProcStat]> {
    const out: Array<[number, ProcStat]> = [];
    for (const pid of this.source.pids()) {
      const text = this.source.stat(pid);
      const stat = text === undefined ? undefined : parseProcStat(text);
      if (stat) out.push([pid, stat]);
    }
    return out;
  }
}

/**
 * CPU and peak memory of a container from the engine's stats
 * (`GET /containers/{id}/stats?stream=false`): total CPU usage in
 * nanoseconds, memory usage in bytes.
 */
export class ContainerMeter implements ServerMeter {
  private readonly dispatcher: Agent;
  private readonly origin: string;
  private startNs: number | undefined;
  private lastNs: number | undefined;
  private peakBytes = 0;

  constructor(private readonly containerId: () => Promise<string>, host: string = process.env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST) {
    const unix = host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
    this.origin = unix ? 'http://localhost' : host.replace(/^tcp:/, 'http:');
    this.dispatcher = new Agent(unix ? { connect: { socketPath: unix } } : {});
  }

  async start(): Promise<void> {
    await this.sample();
    this.startNs = this.lastNs;
  }

  async sample(): Promise<void> {
    try {
      const id = await this.containerId();
      const response = await request(`${this.origin}/containers/${id}/stats?stream=false&one-shot=true`, { dispatcher: this.dispatcher, signal: AbortSignal.timeout(5_000) });
      const stats = (await response.body.json()) as { cpu_stats?: { cpu_usage?: { total_usage?: number } }; memory_stats?: { usage?: number } };
      const ns = stats.cpu_stats?.cpu_usage?.total_usage;
      if (typeof ns === 'number') this.lastNs = ns;
      this.peakBytes = Math.max(this.peakBytes, stats.memory_stats?.usage ?? 0);
    } catch {
      // A missed sample: the next one counts.
    }
  }

  cost(): ServerCost {
    const cpu = this.startNs === undefined || this.lastNs === undefined ? null : round((this.lastNs - this.startNs) / 1e9);
    return { cpuSeconds: cpu, peakRssMiB: this.peakBytes > 0 ? round(this.peakBytes / 2 ** 20) : null };
  }
}

/** A url target's meter: its server is not ours to look into. */
export const NO_METER: ServerMeter = { start: async () => undefined, sample: async () => undefined, cost: () => ({ cpuSeconds: null, peakRssMiB: null }) };

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
