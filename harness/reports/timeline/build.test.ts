import { describe, expect, test } from 'vitest';
import { actOf } from './acts.js';
import { buildTimeline, spansOf } from './build.js';
import { activityWindows } from './windows.js';
import { FACTS, federationStory, idleStory, PAIR, T0 } from './fixtures.js';
import type { Lane, Timeline } from './model.js';

const rel = (ms: number) => (ms - T0) / 1000;
const laneOf = (t: Timeline, label: string): Lane => {
  const lane = t.lanes.find((l) => l.label === label);
  if (!lane) throw new Error(`no lane ${label}: ${t.lanes.map((l) => l.label).join(', ')}`);
  return lane;
};

describe('buildTimeline from a failed local story', () => {
  const t = buildTimeline(idleStory(), FACTS)!;

  test('has a lane per device, its windows, a lane per observer and user, the server jobs and the waits, from the first to the last thing recorded', () => {
    expect(t.lanes.map((l) => `${l.kind}:${l.label}`)).toEqual([
      'device:alice', 'windows:alice: windows', 'device:bob', 'observer:bob sees alice', 'server:server jobs', 'waits:story waits for',
    ]);
    expect(rel(t.startMs)).toBe(0);
    // The missed deadline (12.5 s) and the wait's end (12.6 s) are after the last exchange (12.005 s).
    expect(rel(t.endMs)).toBe(12.6);
  });

  test("marks alice's acts, the set-up ones as such", () => {
    expect(laneOf(t, 'alice').acts.map((a) => [a.kind, a.label, rel(a.atMs), a.setup])).toEqual([
      ['room', 'create room', 0.5, true],
      ['put', 'PUT online', 1, false],
      ['message', 'message', 2, false],
    ]);
    expect(laneOf(t, 'bob').acts.map((a) => [a.kind, a.label, rel(a.atMs), rel(a.endMs)])).toEqual([['join', 'join', 0.8, 0.86], ['sync', 'first sync', 3.1, 7.1]]);
  });

  test('shades the idle threshold and the currently_active window from her activity, merged', () => {
    const shades = laneOf(t, 'alice: windows').shades.map((s) => [s.kind, rel(s.fromMs), rel(s.toMs), s.label]);
    expect(shades).toEqual([
      ['idle', 1, 7, 'idle threshold 5 s'],
      ['active', 1, 5, 'currently_active window 3 s'],
    ]);
    // Nobody watched bob: his own timers are no part of the story.
    expect(t.lanes.some((l) => l.label === 'bob: windows')).toBe(false);
  });

  test("shows what bob saw of alice as spans of state (currently_active apart), leaving out bob's own presence in his sync", () => {
    const spans = laneOf(t, 'bob sees alice').spans.map((s) => [s.state, s.currentlyActive, rel(s.fromMs), rel(s.toMs), s.observations.map((o) => o.seq)]);
    expect(spans).toEqual([
      ['online', true, 3, 7.1, [7]],
      ['online', false, 7.1, 12.6, [8, 9, 10]],
    ]);
    expect(t.lanes.some((l) => l.label === 'bob sees bob')).toBe(false);
  });

  test("places the server's timer checks and its periodic job by their declared phase", () => {
    const jobs = laneOf(t, 'server jobs').shades.map((s) => [s.kind, rel(s.fromMs)]);
    expect(jobs).toEqual([['check', 4], ['check', 9], ['job', 9]]);
  });

  test('draws the wait that missed its deadline, and that deadline', () => {
    expect(laneOf(t, 'story waits for').shades.map((s) => [rel(s.fromMs), rel(s.toMs), s.missed])).toEqual([[3, 12.5, true]]);
    expect(t.deadlines).toEqual([{ atMs: T0 + 12_500, label: 'deadline: bob to see alice unavailable', missed: true }]);
  });

  test("highlights the wait's last observation on the observer's lane", () => {
    expect(t.failing).toMatchObject({ seqs: [10], laneIds: [laneOf(t, 'bob sees alice').id], why: 'the last observation of the wait that failed' });
    expect(rel(t.failing!.fromMs)).toBe(12.005);
  });
});

describe('the failing observation', () => {
  test('is the exchange the failure message names, when it names one', () => {
    const t = buildTimeline(idleStory({ message: 'AssertionError: [#5 alice] PUT /status -> 200 {}', lastObserved: undefined, lastObservedAt: undefined }), FACTS)!;
    expect(t.failing).toMatchObject({ seqs: [5], laneIds: [laneOf(t, 'alice').id] });
  });

  test("is what the wait's observed range covers, in evidence that kept no observation time", () => {
    const t = buildTimeline(idleStory({ lastObservedAt: undefined }), FACTS)!;
    expect(t.failing).toMatchObject({ seqs: [10], laneIds: [laneOf(t, 'bob sees alice').id] });
  });

  test('is the last exchange before the recorded observation time when the observed value has no range', () => {
    const t = buildTimeline(idleStory({ lastObserved: { presence: 'online' } }), FACTS)!;
    expect(t.failing?.seqs).toEqual([10]);
  });

  test('is the sync answer an older evidence file kept as its last observed value', () => {
    const t = buildTimeline(idleStory({ lastObserved: { next_batch: 's2' }, lastObservedAt: undefined }), FACTS)!;
    expect(t.failing).toMatchObject({ seqs: [8], laneIds: [laneOf(t, 'bob sees alice').id] });
  });

  test('is the payload that broke an invariant, failing all else', () => {
    const t = buildTimeline(idleStory({ lastObserved: undefined, lastObservedAt: undefined, violations: [{ requirementId: 'PRES-STATE-ENUM', message: 'x', exchangeSeq: 9, payload: {} }] }), FACTS)!;
    expect(t.failing?.seqs).toEqual([9]);
  });

  test('is absent from a passing story', () => {
    expect(buildTimeline(idleStory({ verdict: 'pass' }), FACTS)!.failing).toBeUndefined();
  });
});

describe('buildTimeline from a failed federation story', () => {
  const t = buildTimeline(federationStory(), {})!;

  test("has a lane for the link with each presence EDU it carried, named by the story's roles", () => {
    const link = laneOf(t, 'link 127.0.0.1:1001 -> 127.0.0.1:1002');
    expect(link.edus.map((e) => [e.label, rel(e.atMs), e.currentlyActive ?? null])).toEqual([
      ['alice unavailable', 1.5, null],
      ['alice online', 3.5, true],
      ['bob online', 3.5, null],
    ]);
    expect(t.lanes.map((l) => l.label)).toEqual(['alice', 'bob', 'bob sees alice', 'link 127.0.0.1:1001 -> 127.0.0.1:1002', 'story waits for']);
  });

  test('highlights the transaction the failed wait last saw, on the link', () => {
    expect(t.failing).toMatchObject({ seqs: [6], laneIds: [laneOf(t, 'link 127.0.0.1:1001 -> 127.0.0.1:1002').id] });
    expect(rel(t.failing!.toMs)).toBe(3.5);
  });

  test('keeps the lane of the link when the proxy carried nothing about its users, and marks the moment the failed wait found nothing there', () => {
    const story = federationStory();
    const quiet = buildTimeline({ ...story, exchanges: story.exchanges.filter((x) => !x.actor.startsWith('federation ')), lastObserved: [] }, PAIR)!;
    const link = laneOf(quiet, 'link between 127.0.0.1:1001 and 127.0.0.1:1002');
    expect(link.edus).toEqual([]);
    expect(quiet.failing).toMatchObject({ seqs: [], laneIds: [link.id], why: "the failed wait's last probe found nothing" });
    expect(rel(quiet.failing!.fromMs)).toBe(6);
    expect(quiet.notes).toContain("no m.presence EDU about the story's users was recorded on the link");
    // A story of one server's users in a pair's run has no link lane.
    expect(buildTimeline(idleStory(), PAIR)!.lanes.some((l) => l.kind === 'link')).toBe(false);
  });

  test('says it has no declared timings to draw windows from', () => {
    expect(t.notes).toEqual(["the run did not record the target's declared timings: no windows drawn"]);
  });
});

test('spansOf merges equal neighbours and ends the last span at the end', () => {
  const o = (atMs: number, state: string, seq: number) => ({ atMs, state, via: 'get' as const, seq });
  expect(spansOf([o(5, 'online', 2), o(1, 'online', 1), o(9, 'offline', 3)], 20).map((s) => [s.state, s.fromMs, s.toMs])).toEqual([['online', 1, 9], ['offline', 9, 20]]);
});

test('a story that recorded no exchange has no timeline', () => {
  expect(buildTimeline(idleStory({ exchanges: [] }), FACTS)).toBeUndefined();
});

test("leaves out the server's timer check when its phase is known no better than its period, and says so", () => {
  const t = buildTimeline(idleStory(), { ...FACTS, serverReadyAt: FACTS.serverStartedAt! + 6_000 })!;
  expect(t.lanes.find((l) => l.kind === 'server')?.shades.map((s) => [s.kind, rel(s.fromMs), rel(s.toMs)])).toEqual([['job', 9, 15]]);
  expect(t.notes).toEqual(["the server's timer check (every 5 s) is not drawn: its phase is known only within 6 s (the server took that long to answer after it was started)"]);
});

test("a device's first sync with the default set_presence connects its user: her windows start there; a later sync or one that sets her offline does not", () => {
  const sync = (seq: number, path: string, startS: number) => actOf({ seq, actor: 'alice', method: 'GET', path, status: 200, startedAt: new Date(T0 + startS * 1000).toISOString(), durationMs: 100 })!;
  const acts = [sync(1, '/_matrix/client/v3/sync?timeout=0', 1), sync(2, '/_matrix/client/v3/sync?since=s1&timeout=1000', 4), sync(3, '/_matrix/client/v3/sync?timeout=0&set_presence=offline', 6)];
  expect(acts.map((a) => [a.label, a.connects ?? false])).toEqual([['first sync', true], ['sync', false], ['first sync set_presence=offline', false]]);
  expect(activityWindows(acts, FACTS.timings!).map((s) => [s.kind, rel(s.fromMs), rel(s.toMs)])).toEqual([['idle', 1, 6], ['active', 1, 4]]);
});
