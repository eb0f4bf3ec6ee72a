import { describe, expect, it } from 'vitest';
import { MEMORY_SHARE_FOR_RUNS, inPool, runsAtOnce } from './target-pool.js';
import { HARNESS_MIB_PER_RUN, memoryOfRunMiB } from './target-memory.js';

describe('runsAtOnce: how many targets of one command run side by side', () => {
  it('runs all at once when the hungriest together fit in the share of the available memory', () => {
    expect(runsAtOnce([600, 700, 500], false, (600 + 700 + 500) / MEMORY_SHARE_FOR_RUNS)).toBe(3);
  });

  it('counts the hungriest first: two fit only if the two largest do', () => {
    // 1,000 MiB for runs: 700 + 600 does not fit, 700 alone does (the lanes may pick any two).
    expect(runsAtOnce([500, 700, 600, 100], false, 1_000 / MEMORY_SHARE_FOR_RUNS)).toBe(1);
    expect(runsAtOnce([500, 700, 600, 100], false, 1_300 / MEMORY_SHARE_FOR_RUNS)).toBe(2);
  });

  it('runs one at a time with the flag, with one target, or when not even one fits', () => {
    expect(runsAtOnce([600, 700], true, 1e6)).toBe(1);
    expect(runsAtOnce([600], false, 1e6)).toBe(1);
    expect(runsAtOnce([600, 700], false, 10)).toBe(1);
  });

  it('reads the machine\'s available memory when not told: synapse,dendrite side by side on this machine', () => {
    expect(runsAtOnce([memoryOfRunMiB('synapse'), memoryOfRunMiB('dendrite')], false)).toBeGreaterThanOrEqual(1);
  });
});

describe('memoryOfRunMiB: what one run costs this machine', () => {
  it('counts a pair\'s two servers, an image\'s as our hungriest, a url target\'s none', () => {
    const synapse = memoryOfRunMiB('synapse') - HARNESS_MIB_PER_RUN;
    const dendrite = memoryOfRunMiB('dendrite') - HARNESS_MIB_PER_RUN;
    expect(memoryOfRunMiB('synapse+dendrite')).toBeGreaterThan(HARNESS_MIB_PER_RUN + synapse + dendrite - 1);
    expect(memoryOfRunMiB('docker')).toBe(HARNESS_MIB_PER_RUN + Math.max(synapse, dendrite, memoryOfRunMiB('tuwunel') - HARNESS_MIB_PER_RUN));
    expect(memoryOfRunMiB('url')).toBe(HARNESS_MIB_PER_RUN);
  });
});

describe('inPool', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('never runs more than the limit at once, runs that many, and keeps the items\' order in its results', async () => {
    let running = 0;
    let most = 0;
    const results = await inPool([30, 10, 20, 5, 15], 2, async (ms, i) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return `${i}:${ms}`;
    });
    expect(most).toBe(2);
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:5', '4:15']);
  });

  it('starts no further item once stopped; those under way finish', async () => {
    let stopped = false;
    const started: number[] = [];
    const results = await inPool([1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 2) stopped = true;
      await tick();
      return n;
    }, () => stopped);
    expect(started).toEqual([1, 2]);
    expect(results).toEqual([1, 2, undefined, undefined]);
  });
});
