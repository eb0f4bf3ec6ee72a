import type { EvidenceFile } from '../../results/model.js';
import { actOf, exchangeTimes, isSync } from './acts.js';
import { failingObservation } from './failing.js';
import { seconds, type Lane, type Observation, type Shade, type StateSpan, type Timeline } from './model.js';
import { eduReadings, isLink, readingsOf, truncated, type Reading } from './observations.js';
import { roleOf, userIdsOf, userNames } from './users.js';
import { activityWindows, serverJobs, type TimelineFacts } from './windows.js';

export type { TimelineFacts } from './windows.js';

function lane(id: string, kind: Lane['kind'], label: string): Lane {
  return { id, kind, label, acts: [], spans: [], edus: [], shades: [] };
}

/** Consecutive readings as spans of state, each lasting until the next reading (the last one until `endMs`); equal neighbours merged. */
export function spansOf(readings: readonly Observation[], endMs: number): StateSpan[] {
  const sorted = [...readings].sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  const spans: StateSpan[] = [];
  sorted.forEach((r, i) => {
    const toMs = Math.max(r.atMs, sorted[i + 1]?.atMs ?? endMs);
    const currentlyActive = r.currentlyActive === true;
    const last = spans.at(-1);
    if (last && last.state === r.state && last.currentlyActive === currentlyActive) {
      last.toMs = toMs;
      last.observations.push(r);
    } else spans.push({ fromMs: r.atMs, toMs, state: r.state, currentlyActive, observations: [r] });
  });
  return spans;
}

/**
 * One story's timeline from its evidence alone (and the run's target facts):
 * a lane per device of the story with what it did, a lane per observer and
 * user with the states it read, a lane per federation link with the EDUs
 * the recording proxy saw, the declared windows after each user's activity,
 * the server's periodic jobs, the story's waits and their deadlines, and the
 * observation a failed verdict rests on. Undefined when nothing was recorded.
 */
export function buildTimeline(e: EvidenceFile, facts: TimelineFacts): Timeline | undefined {
  const exchanges = e.exchanges.filter((x) => Number.isFinite(Date.parse(x.startedAt)));
  if (!exchanges.length) return undefined;
  const name = userNames(exchanges);
  const startMs = Math.min(...exchanges.map((x) => exchangeTimes(x).startMs));
  const waits = e.waits ?? [];
  const missed = (w: (typeof waits)[number]) => !w.what.endsWith('(a watch)') && (w.endedAt === undefined || w.endedAt >= w.deadline);
  const endMs = Math.max(
    ...exchanges.map((x) => exchangeTimes(x).endMs),
    ...waits.map((w) => (missed(w) ? Math.max(w.deadline, w.endedAt ?? 0) : w.endedAt ?? 0)),
    e.lastObservedAt ?? 0,
  );

  const devices = new Map<string, Lane>();
  const observers = new Map<string, { observer: string; userId: string; readings: Reading[] }>();
  const links = new Map<string, Lane>();
  let cut = 0;
  for (const x of exchanges) {
    if (x.actor === 'harness') continue;
    if (isLink(x.actor)) {
      const link = links.get(x.actor) ?? lane(`link-${links.size}`, 'link', `link ${x.actor.slice('federation '.length)}`);
      links.set(x.actor, link);
      link.edus.push(...eduReadings(x).map((r) => ({ ...r, label: `${name(r.userId)} ${r.state}` })));
      continue;
    }
    const device = devices.get(x.actor) ?? lane(`device-${devices.size}`, 'device', x.actor);
    devices.set(x.actor, device);
    const act = actOf(x);
    if (act) device.acts.push(act);
    if (isSync(x) && truncated(x.responseBody)) cut++;
    for (const r of readingsOf(x)) {
      // A user's own presence in her sync says nothing of what others see; her GET of it is a story's check.
      if (r.via === 'sync' && name(r.userId) === roleOf(x.actor)) continue;
      const key = `${x.actor}\u0000${r.userId}`;
      const entry = observers.get(key) ?? { observer: x.actor, userId: r.userId, readings: [] };
      observers.set(key, entry);
      entry.readings.push(r);
    }
  }

  const lanes: Lane[] = [];
  const notes: string[] = [];
  const roles = [...new Set([...devices.keys()].map(roleOf))];
  // Windows only for the users someone watched: an observer's own timers are no part of the story.
  const watched = new Set([...[...observers.values()].map((o) => name(o.userId)), ...[...links.values()].flatMap((l) => l.edus.map((e) => name(e.userId)))]);
  for (const role of roles) {
    const own = [...devices.values()].filter((d) => roleOf(d.label) === role);
    lanes.push(...own);
    if (facts.timings && watched.has(role)) {
      const shades = activityWindows(own.flatMap((d) => d.acts), facts.timings);
      if (shades.length) lanes.push({ ...lane(`windows-${role}`, 'windows', `${role}: windows`), shades });
    }
  }
  [...observers.values()].forEach((o, i) => {
    lanes.push({ ...lane(`observer-${i}`, 'observer', `${o.observer} sees ${name(o.userId)}`), spans: spansOf(o.readings, endMs) });
  });
  // A story whose users live on both servers of a pair has a link lane even when the proxy carried nothing about them: that is what it shows.
  const { serverName, peer } = facts;
  if (!links.size && serverName && peer && [serverName, peer.serverName].every((server) => [...userIdsOf(exchanges)].some((id) => id.endsWith(`:${server}`)))) {
    links.set('', lane('link-0', 'link', `link between ${serverName} and ${peer.serverName}`));
    notes.push(`no m.presence EDU about the story's users was recorded on the link`);
  }
  lanes.push(...links.values());

  const jobs = serverJobs(facts, startMs, endMs);
  notes.push(...jobs.notes);
  if (jobs.shades.length) lanes.push({ ...lane('server', 'server', 'server jobs'), shades: jobs.shades });
  if (waits.length) {
    const shades: Shade[] = waits.map((w) => ({ kind: 'wait', fromMs: w.since, toMs: missed(w) ? w.deadline : Math.min(w.deadline, w.endedAt ?? w.deadline), label: w.what, missed: missed(w) }));
    lanes.push({ ...lane('waits', 'waits', 'story waits for'), shades });
  }
  if (cut) notes.push(`${cut} sync answer(s) were too long to keep whole in the evidence: their presence events are not drawn`);

  const deadlines = waits.filter((w, i) => missed(w) || i === waits.length - 1).filter((w) => w.deadline <= endMs).map((w) => ({ atMs: w.deadline, label: `deadline: ${w.what}`, missed: missed(w) }));
  const failing = failingObservation(e, lanes);
  return { startMs, endMs, lanes, deadlines, ...(failing ? { failing } : {}), notes };
}

/** "12.3 s": a time as seconds from the timeline's start. */
export function sinceStart(timeline: Pick<Timeline, 'startMs'>, atMs: number): string {
  return seconds(atMs - timeline.startMs);
}
