import type { TargetTimings } from '../../timings.js';
import { seconds as s, type Act, type Shade } from './model.js';

/** What the run records of its target's timers (results.json: target.timings, serverStartedAt, serverReadyAt). */
export interface TimelineFacts {
  /** The server under test's name, and with a federating pair the other's (results.json: target.serverName, target.peer). */
  serverName?: string;
  peer?: { serverName: string };
  timings?: TargetTimings;
  serverStartedAt?: number;
  serverReadyAt?: number;
}

/** Beyond this many ticks of the server's timer check, the lane would be a smear: it is left out, with a note. */
const MAX_TICKS = 200;

/** Acts that count as the user's activity for the idle and currently_active windows: a message, a PUT of `online`, a device connecting. */
export function isActivity(act: Act): boolean {
  return !act.refused && (act.kind === 'message' || act.label === 'PUT online' || act.connects === true);
}

/** The union of [t, t + length] over `times`, as shades. */
function union(times: readonly number[], length: number, kind: Shade['kind'], label: string): Shade[] {
  const shades: Shade[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    const last = shades.at(-1);
    if (last && t <= last.toMs) last.toMs = Math.max(last.toMs, t + length);
    else shades.push({ kind, fromMs: t, toMs: t + length, label });
  }
  return shades;
}

/**
 * The declared windows after a user's activity: the `currently_active`
 * window and the idle threshold, each from every act that counts as
 * activity (overlapping ones merged: the last act's is where it ends).
 */
export function activityWindows(acts: readonly Act[], timings: TargetTimings): Shade[] {
  const times = acts.filter(isActivity).map((a) => a.atMs);
  return [
    ...union(times, timings.idleTimeoutMs, 'idle', `idle threshold ${s(timings.idleTimeoutMs)}`),
    ...union(times, timings.activeWindowMs, 'active', `currently_active window ${s(timings.activeWindowMs)}`),
  ];
}

/**
 * The server's periodic presence jobs within [fromMs, toMs]: its timer
 * check (every checkIntervalMs from firstCheckAfterMs after boot) and its
 * longest cycle (Synapse's persistence, every longestCycleMs from
 * firstCycleAfterMs), each run drawn over the span its phase allows
 * (server started .. first answered). Undefined when the phase is unknown.
 */
export function serverJobs(facts: TimelineFacts, fromMs: number, toMs: number): { shades: Shade[]; notes: string[] } {
  const { timings, serverStartedAt } = facts;
  if (!timings || serverStartedAt === undefined) return { shades: [], notes: ['the run did not record the target\'s declared timings: no windows drawn'] };
  const spread = Math.max(0, (facts.serverReadyAt ?? serverStartedAt) - serverStartedAt);
  const runs = (first: number, every: number, kind: Shade['kind'], label: string): Shade[] | undefined => {
    // A phase known no better than a whole period places nothing.
    if (every <= 0 || spread >= every) return undefined;
    const k0 = Math.max(0, Math.ceil((fromMs - spread - first) / every));
    const k1 = Math.floor((toMs - first) / every);
    if (k1 - k0 > MAX_TICKS) return undefined;
    const out: Shade[] = [];
    for (let k = k0; k <= k1; k++) out.push({ kind, fromMs: first + k * every, toMs: first + k * every + spread, label });
    return out;
  };
  const notes: string[] = [];
  const checks = runs(serverStartedAt + timings.firstCheckAfterMs, timings.checkIntervalMs, 'check', `timer check (every ${s(timings.checkIntervalMs)})`);
  if (!checks) notes.push(`the server's timer check (every ${s(timings.checkIntervalMs)}) is not drawn: ${spread >= timings.checkIntervalMs ? `its phase is known only within ${s(spread)} (the server took that long to answer after it was started)` : 'too frequent'}`);
  let jobs: Shade[] = [];
  if (timings.longestCycleMs !== timings.checkIntervalMs) {
    if (timings.firstCycleAfterMs === undefined) notes.push(`the phase of the server's periodic job (every ${s(timings.longestCycleMs)}) is unknown: not drawn`);
    else {
      const placed = runs(serverStartedAt + timings.firstCycleAfterMs, timings.longestCycleMs, 'job', `periodic job (every ${s(timings.longestCycleMs)})`);
      if (placed) jobs = placed;
      else notes.push(`the server's periodic job (every ${s(timings.longestCycleMs)}) is not drawn: its phase is known only within ${s(spread)}`);
    }
  }
  return { shades: [...(checks ?? []), ...jobs], notes };
}
