import { describe, inject, test as base } from 'vitest';
import { requirementById, type Level } from '../catalogue.js';
import type { RequirementId } from '../requirement-ids.js';
import type { Exchange, RecordedWait, Violation } from './client/recorder.js';
import { StoryBudget, type RateLimitedMeta, type SlowMeta } from './budget.js';
import { TestServer } from './test-server.js';
import { describeStop, timedOutAfterMs } from './story-limit.js';
import './server-facts.js';

/** What reporters read from every test (vitest task meta). */
export interface RequirementMeta {
  requirementId: string;
  level: Level;
}

/** The evidence a test leaves behind, read by the result writers. */
export interface EvidenceMeta {
  exchanges: Exchange[];
  violations: Violation[];
  lastObserved?: unknown;
  /** When `lastObserved` was seen (epoch ms). */
  lastObservedAt?: number;
  /** The story's waits (what, since, deadline, ended), from `Recorder.waitLog`. */
  waits?: RecordedWait[];
  /** How deadlines were derived (the round-trip allowance used), from `Recorder.notes`. */
  notes?: string[];
  /** The client kind the story ran its user as (`ClientKind.id`), when it named one. */
  clientKind?: string;
}

declare module 'vitest' {
  interface TaskMeta {
    requirementId?: string;
    level?: Level;
    evidence?: EvidenceMeta;
    /** Set when the story was skipped for exceeding the wait budget (`--max-wait`). */
    slow?: SlowMeta;
    /** Set when the story's time limit stopped it: one line with what it was waiting for (harness/story/story-limit.ts). */
    stopped?: string;
    /** Set when the story was skipped because a rate limit could not be waited out within the budget. */
    rateLimited?: RateLimitedMeta;
  }
}

/** The test function suites use: vitest's `test` with a per-test `server`. */
export const conformanceTest = base.extend<{ server: TestServer }>({
  server: async ({ task, skip, signal }, use) => {
    const budget = new StoryBudget(
      inject('budget').maxWaitMs,
      (slow, reason) => {
        task.meta.slow = slow;
        return skip(reason);
      },
      (rateLimited, reason) => {
        task.meta.rateLimited = rateLimited;
        return skip(reason);
      },
    );
    const server = new TestServer(inject('target'), task.fullName, budget, signal, (reason) => skip(reason));
    // Vitest aborts the signal with its timeout error when the story's time
    // limit stops it: say then, in one line, what the story was waiting for.
    signal.addEventListener('abort', () => {
      const reason: unknown = signal.reason;
      const limitMs = timedOutAfterMs(reason instanceof Error ? reason.message : undefined);
      if (limitMs !== undefined) task.meta.stopped = describeStop(limitMs, server.recorder.pendingWaits, server.recorder.exchanges);
    }, { once: true });
    try {
      await use(server);
    } finally {
      const { exchanges, violations, lastObserved, lastObservedAt, waitLog, notes, clientKind } = server.recorder;
      task.meta.evidence = {
        exchanges, violations, lastObserved,
        ...(lastObservedAt === undefined ? {} : { lastObservedAt }),
        ...(waitLog.length ? { waits: waitLog } : {}),
        ...(notes.length ? { notes } : {}), ...(clientKind ? { clientKind } : {}),
      };
    }
  },
});

export type ConformanceTest = typeof conformanceTest;

/**
 * Declares the tests of one catalogue requirement. The ID and level become
 * metadata on every test inside (what reporters read); the title comes from
 * the catalogue. Tests of a requirement run concurrently: each registers its
 * own users.
 */
export function requirement(id: RequirementId, body: (api: { test: ConformanceTest }) => void): void {
  const { level, title } = requirementById(id);
  describe(`${id}: ${title}`, { meta: { requirementId: id, level }, concurrent: true }, () => body({ test: conformanceTest }));
}
