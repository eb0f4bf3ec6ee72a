import os from 'node:os';

/**
 * Runs `work` for each item with at most `limit` at once, resolving to the
 * results in the items' order. `stop()` (e.g. after an interrupt) starts no
 * further item; those already running finish.
 */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, stop: () => boolean = () => false): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/**
 * Share of the available memory (MemAvailable, what `os.freemem()` reads on
 * Linux) that runs side by side may count on: the rest stays for the other
 * processes of the machine (on the shared 2-core machine, other users' runs),
 * whose memory grows while ours do.
 */
export const MEMORY_SHARE_FOR_RUNS = 0.5;

/**
 * How many runs, each needing its peak memory in `peaksMiB` (one entry per
 * target: harness/runner/target-memory.ts), one command runs at once: as many as fit in
 * MEMORY_SHARE_FOR_RUNS of the available memory, counting the hungriest
 * first (the pool's lanes may pick any of them at once), at least one; one with
 * `oneAtATime`. Memory, not CPU, is what limits: a conformance run mostly
 * waits on its server's timers, so two runs side by side cost little more
 * CPU than one (measured: docs/several-targets.md).
 */
export function runsAtOnce(peaksMiB: readonly number[], oneAtATime: boolean, availableMiB: number = os.freemem() / 2 ** 20): number {
  if (oneAtATime || peaksMiB.length <= 1) return 1;
  const budget = availableMiB * MEMORY_SHARE_FOR_RUNS;
  const hungriest = [...peaksMiB].sort((a, b) => b - a);
  let fits = 0;
  for (let used = 0; fits < hungriest.length && used + hungriest[fits]! <= budget; fits++) used += hungriest[fits]!;
  return Math.max(1, fits);
}
