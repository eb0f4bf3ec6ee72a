import { spawnSync } from 'node:child_process';
import { processesOwnedBy } from '../targets/managed-process.js';

/** What a watch over a run's TCP connections saw. */
export interface ConnectionsSeen {
  /** How many times `ss` was sampled. */
  samples: number;
  /** Connections of the run's processes with both ends on 127.0.0.1 (the positive control: the watch sees traffic). */
  loopback: number;
  /** Every other connection seen, as `ss` printed it: must stay empty. */
  elsewhere: string[];
}

const LOOPBACK = /^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+$/;

/**
 * Samples `ss -tnp` every `everyMs` while a run goes, keeping the TCP
 * connections of the processes tagged with `owner` (its homeservers): proof
 * that they talk to 127.0.0.1 only. `stop()` ends it and returns what it saw.
 */
export function watchConnections(owner: string, everyMs = 250): { stop(): ConnectionsSeen } {
  const seen: ConnectionsSeen = { samples: 0, loopback: 0, elsewhere: [] };
  const sample = () => {
    const pids = new Set(processesOwnedBy(owner));
    if (pids.size === 0) return;
    seen.samples++;
    const out = spawnSync('ss', ['-tnpH'], { encoding: 'utf8' }).stdout ?? '';
    for (const line of out.split('\n')) {
      const pid = /pid=(\d+)/.exec(line)?.[1];
      if (!pid || !pids.has(Number(pid))) continue;
      const [, , , local, peer] = line.trim().split(/\s+/);
      if (local && peer && LOOPBACK.test(local) && LOOPBACK.test(peer)) seen.loopback++;
      else seen.elsewhere.push(line.trim());
    }
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return seen;
    },
  };
}
