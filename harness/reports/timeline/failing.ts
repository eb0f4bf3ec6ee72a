import type { EvidenceFile } from '../../results/model.js';
import { exchangeTimes } from './acts.js';
import type { FailingObservation, Lane } from './model.js';

/** How close (ms) an exchange's end must be to a recorded observation time to be the one observed. */
const NEAR_MS = 50;

/** Epoch ms `from`/`to` of a wait's observation (harness/story/presence: `{via, content, from, to}`), wherever they are in `lastObserved`. */
function observedRange(value: unknown): { from: number; to: number } | undefined {
  const items = Array.isArray(value) ? value : [value];
  const ranges = items
    .map((v) => v as { from?: unknown; to?: unknown } | null)
    .filter((v): v is { from: number; to: number } => typeof v?.from === 'number' && typeof v.to === 'number');
  if (!ranges.length) return undefined;
  return { from: Math.min(...ranges.map((r) => r.from)), to: Math.max(...ranges.map((r) => r.to)) };
}

/**
 * The exchanges a failed verdict rests on, and why they were picked, in
 * order of how precisely the evidence says so: exchanges the message names
 * (`[#12 alice] ...`); the last observation of the wait that failed (its
 * recorded range, the federation transactions or the sync answer it kept,
 * else the last exchange before it observed); the violations' payloads.
 */
function failingSeqs(e: EvidenceFile): { seqs: number[]; why: string; atMs?: number } | undefined {
  const named = [...(e.message ?? '').matchAll(/\[#(\d+) [^\]]*\]/g)].map((m) => Number(m[1]));
  if (named.length) return { seqs: [...new Set(named)], why: 'the exchange the failure names' };
  const range = observedRange(e.lastObserved);
  if (range) {
    const seqs = e.exchanges.filter((x) => exchangeTimes(x).endMs >= range.from - NEAR_MS && exchangeTimes(x).endMs <= range.to + NEAR_MS && !x.setup).map((x) => x.seq);
    if (seqs.length) return { seqs, why: 'the last observation of the wait that failed' };
  }
  const batch = (e.lastObserved as { next_batch?: unknown } | undefined)?.next_batch;
  if (typeof batch === 'string') {
    const kept = e.exchanges.filter((x) => (x.responseBody as { next_batch?: unknown } | undefined)?.next_batch === batch).at(-1);
    if (kept) return { seqs: [kept.seq], why: 'the sync answer the failed wait last saw' };
  }
  const txns = (Array.isArray(e.lastObserved) ? e.lastObserved : []).map((p) => (p as { txn?: { txnId?: unknown } } | null)?.txn?.txnId).filter((id): id is string => typeof id === 'string');
  if (txns.length) {
    const seqs = e.exchanges.filter((x) => txns.some((id) => x.path.endsWith(`/${encodeURIComponent(id)}`))).map((x) => x.seq);
    if (seqs.length) return { seqs, why: 'the federation transactions the failed wait last saw' };
  }
  // The wait's last probe found nothing (no EDU about the user on the link): that moment is the observation.
  if (Array.isArray(e.lastObserved) && e.lastObserved.length === 0 && e.lastObservedAt !== undefined) {
    return { seqs: [], why: "the failed wait's last probe found nothing", atMs: e.lastObservedAt };
  }
  if (e.lastObservedAt !== undefined) {
    const before = e.exchanges.filter((x) => !x.setup && exchangeTimes(x).endMs <= e.lastObservedAt! + NEAR_MS);
    const last = before.sort((a, b) => exchangeTimes(a).endMs - exchangeTimes(b).endMs).at(-1);
    if (last) return { seqs: [last.seq], why: 'the last observation of the wait that failed' };
  }
  const violated = [...new Set(e.violations.map((v) => v.exchangeSeq))];
  if (violated.length) return { seqs: violated, why: 'the payloads that broke an invariant' };
  return undefined;
}

/** The observation a failed or errored story's verdict rests on, located on the timeline's lanes. */
export function failingObservation(e: EvidenceFile, lanes: readonly Lane[]): FailingObservation | undefined {
  if (e.verdict !== 'fail' && e.verdict !== 'error') return undefined;
  const found = failingSeqs(e);
  if (!found) return undefined;
  if (found.atMs !== undefined) {
    // Nothing was read: mark the moment, on the link if the story has one (what it probed), else across every lane.
    const laneIds = lanes.filter((l) => l.kind === 'link').map((l) => l.id);
    return { fromMs: found.atMs, toMs: found.atMs, laneIds, seqs: [], why: found.why };
  }
  const seqs = new Set(found.seqs);
  const times: number[] = [];
  const laneIds: string[] = [];
  for (const lane of lanes) {
    const here = [
      ...lane.acts.filter((a) => seqs.has(a.seq)).flatMap((a) => [a.atMs, a.endMs]),
      ...lane.spans.flatMap((s) => s.observations).filter((o) => seqs.has(o.seq)).map((o) => o.atMs),
      ...lane.edus.filter((o) => seqs.has(o.seq)).map((o) => o.atMs),
    ];
    // A device lane holds the probe that read the observation; the observer lane shows what it read: prefer the latter.
    if (here.length && (lane.kind !== 'device' || !lanes.some((l) => l.kind === 'observer' && l.spans.some((s) => s.observations.some((o) => seqs.has(o.seq)))))) {
      laneIds.push(lane.id);
      times.push(...here);
    }
  }
  if (!times.length) {
    const xs = e.exchanges.filter((x) => seqs.has(x.seq)).map(exchangeTimes);
    times.push(...xs.flatMap((t) => [t.startMs, t.endMs]));
  }
  if (!times.length) return undefined;
  return { fromMs: Math.min(...times), toMs: Math.max(...times), laneIds, seqs: [...seqs], why: found.why };
}
