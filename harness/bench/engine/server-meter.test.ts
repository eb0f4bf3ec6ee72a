import { describe, expect, it } from 'vitest';
import { ProcMeter, parseProcStat, procSource, type ProcSource } from './server-meter.js';

/** A /proc/<pid>/stat line with the given utime, stime and rss (pages); the name holds a space and a parenthesis, as names may. */
function statLine(pid: number, utime: number, stime: number, rss: number): string {
  const fields = ['S', '1', '1', '1', '0', '-1', '4194304', '0', '0', '0', '0', String(utime), String(stime), '0', '0', '20', '0', '1', '0', '100', '1000000', String(rss)];
  return `${pid} (python3 (x) y) ${fields.join(' ')} 0 0 0`;
}

describe('/proc sampling', () => {
  it('reads utime + stime and rss from a stat line, counting fields from the last parenthesis', () => {
    expect(parseProcStat(statLine(42, 150, 50, 2560))).toEqual({ cpuTicks: 200, rssPages: 2560 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('reads this very process from the real /proc', () => {
    const stat = parseProcStat(procSource(() => [process.pid]).stat(process.pid)!);
    expect(stat!.rssPages).toBeGreaterThan(0);
  });

  it('sums CPU since the start over the tree (a later process from zero, an ended one as last seen) and keeps the peak RSS', async () => {
    const ticks = new Map<number, [number, number]>([[1, [1_000, 100]], [2, [500, 200]]]);
    const source: ProcSource = {
      pids: () => [...ticks.keys()],
      stat: (pid) => (ticks.has(pid) ? statLine(pid, ticks.get(pid)![0], 0, ticks.get(pid)![1]) : undefined),
      ticksPerSecond: 100,
      pageBytes: 4096,
    };
    const meter = new ProcMeter(source);
    await meter.start();
    ticks.set(1, [1_150, 300]); // +150 ticks, RSS up
    ticks.set(3, [40, 100]); // born during the phase: all its 40 ticks count
    await meter.sample();
    ticks.set(2, [700, 200]);
    await meter.sample();
    ticks.delete(2); // ended: keeps its +200
    ticks.set(1, [1_200, 10]);
    await meter.sample();
    // CPU: 200 + 200 + 40 ticks = 4.4 s; peak: 300 + 200 + 100 pages = 600 pages * 4 KiB.
    expect(meter.cost()).toEqual({ cpuSeconds: 4.4, peakRssMiB: Math.round(((600 * 4096) / 2 ** 20) * 100) / 100 });
  });
});
