/**
 * Which presence change reached whom, when: the bench's bookkeeping of
 * deliveries. Each change carries a marker (its status_msg, `marker()`); a
 * roommate's /sync showing the subject with that marker (or a later one of
 * the same subject: presence is state, a server may coalesce) resolves the
 * roommate's expected delivery. A presence event about a user the observer
 * shares no room with is a leak (PRES-VIS-NONSHARED-SYNC), whatever it says.
 */
import { redact } from '../../redact.js';
import type { BenchLeak, LatencyFigures } from '../model.js';
import { latencyFigures } from './latency.js';

/** The requirement a presence event shown to a non-sharer breaks. */
export const LEAK_REQUIREMENT = 'PRES-VIS-NONSHARED-SYNC';

/** At most this many leaks keep their evidence (the count is still exact). */
const LEAK_EVIDENCE_KEPT = 20;

/** The status_msg a change carries: the step and the change's number. */
export function marker(step: number, seq: number): string {
  return `bench ${step}.${seq}`;
}

/** The change a status_msg names, if it is a marker of `step`. */
export function parseMarker(text: unknown, step: number): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^bench (\d+)\.(\d+)$/.exec(text);
  return match && Number(match[1]) === step ? Number(match[2]) : undefined;
}

/** A presence event as /sync shows it. */
export interface PresenceEvent {
  type?: unknown;
  sender?: unknown;
  content?: { presence?: unknown; status_msg?: unknown };
}

interface Pending {
  sentAt: number;
}

export interface DeliverySummary {
  presenceChanges: number;
  latency: LatencyFigures;
  missing: number;
  late: number;
  superseded: number;
  leaks: BenchLeak[];
  leakCount: number;
}

export class DeliveryBook {
  private readonly latencies: number[] = [];
  /** Per observer and subject: the changes expected and not yet seen, by number. */
  private readonly pending = new Map<string, Map<number, Pending>>();
  private changes = 0;
  private late = 0;
  private superseded = 0;
  private readonly leaks: BenchLeak[] = [];
  private leakCount = 0;

  constructor(
    private readonly step: number,
    private readonly deadlineMs: number,
    /** Whether two users share a room (harness/bench/engine/workload.ts: Sharing). */
    private readonly shares: (a: string, b: string) => boolean,
  ) {}

  /** A change `seq` of `subject`, sent at `sentAt`, to be delivered to each of `roommates`. */
  expect(subject: string, seq: number, sentAt: number, roommates: readonly string[]): void {
    this.changes++;
    for (const observer of roommates) {
      const key = `${observer}\u0000${subject}`;
      let changes = this.pending.get(key);
      if (!changes) this.pending.set(key, (changes = new Map()));
      changes.set(seq, { sentAt });
    }
  }

  /**
   * The change was sent again at `sentAt` (its first attempt was rate-limited
   * and waited out): latency counts from the attempt the server took.
   */
  resent(subject: string, seq: number, sentAt: number): void {
    for (const [key, changes] of this.pending) {
      const change = key.endsWith(`\u0000${subject}`) ? changes.get(seq) : undefined;
      if (change) change.sentAt = sentAt;
    }
  }

  /** A change that never reached the server (its PUT failed): nobody is to expect it. */
  cancel(subject: string, seq: number): void {
    this.changes--;
    for (const [key, changes] of this.pending) if (key.endsWith(`\u0000${subject}`)) changes.delete(seq);
  }

  /** What `observer`'s /sync showed at `at`: every presence event in it. */
  observe(observer: string, events: readonly PresenceEvent[], at: number): void {
    for (const event of events) {
      const subject = typeof event.sender === 'string' ? event.sender : undefined;
      if (!subject || subject === observer) continue;
      if (!this.shares(observer, subject)) {
        this.leak(observer, subject, event, at);
        continue;
      }
      const seq = parseMarker(event.content?.status_msg, this.step);
      const changes = seq === undefined ? undefined : this.pending.get(`${observer}\u0000${subject}`);
      if (!changes || seq === undefined) continue;
      for (const [n, change] of changes) {
        if (n > seq) continue;
        changes.delete(n);
        if (n < seq) {
          this.superseded++;
          continue;
        }
        const latency = at - change.sentAt;
        this.latencies.push(latency);
        if (latency > this.deadlineMs) this.late++;
      }
    }
  }

  /** Deliveries still awaited. */
  get outstanding(): number {
    let n = 0;
    for (const changes of this.pending.values()) n += changes.size;
    return n;
  }

  summary(): DeliverySummary {
    return {
      presenceChanges: this.changes,
      latency: latencyFigures(this.latencies),
      missing: this.outstanding,
      late: this.late,
      superseded: this.superseded,
      leaks: [...this.leaks],
      leakCount: this.leakCount,
    };
  }

  private leak(observer: string, subject: string, event: PresenceEvent, at: number): void {
    this.leakCount++;
    if (this.leaks.length >= LEAK_EVIDENCE_KEPT) return;
    this.leaks.push({
      requirement: LEAK_REQUIREMENT,
      observer,
      subject,
      evidence: `${observer}'s /sync showed ${subject}, with whom it shares no room: ${JSON.stringify(redact(event)).slice(0, 400)}`,
      at: new Date(at).toISOString(),
    });
  }
}
