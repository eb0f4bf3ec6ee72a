import { describe, expect, it } from 'vitest';
import { StoryBudget, type RateLimitedMeta } from '../budget.js';
import type { MatrixUser } from '../client/matrix-user.js';
import type { TargetDescriptor } from '../server-facts.js';
import { SYNAPSE_TIMINGS } from '../../targets/synapse/timings.js';
import { TestServer } from '../test-server.js';
import { whileActive } from './activity.js';

/** Ends a story as vitest's `skip` does: by throwing. */
class Skipped extends Error {
  constructor(readonly meta: RateLimitedMeta) {
    super('skipped');
  }
}

// A 600 ms currently_active window: acts come every 250 ms (the pace's floor).
const timings = { ...SYNAPSE_TIMINGS, activeWindowMs: 600 };
const target = { kind: 'url', baseUrl: 'http://127.0.0.1:9', serverName: 'hs', serverVersion: 'Test 1', registration: { kind: 'open' }, timings, startedAt: Date.now(), runPrefix: 'pctest', seed: 1 } as TargetDescriptor;

function story(): { server: TestServer; alice: MatrixUser } {
  const budget = new StoryBudget(150_000, () => { throw new Error('not slow'); }, (meta) => { throw new Skipped(meta); });
  const server = new TestServer(target, 'activity test', budget);
  // Only what whileActive uses of a device: a quick /sync between acts.
  const alice = { role: 'alice', sync: async () => undefined } as unknown as MatrixUser;
  return { server, alice };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIMIT = { limit: 'PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} (M_LIMIT_EXCEEDED)', retryAfterMs: 900 };

describe('whileActive: a user who must stay active', () => {
  it('ends the story as not checked for the rate limit that held an act back longer than her currently_active window', async () => {
    const { server, alice } = story();
    let acts = 0;
    const act = async () => {
      if (++acts === 3) {
        // What HttpTransport.waitOut does with a 429: note it, then wait as advised.
        server.recorder.rateLimited(LIMIT, 'alice: rate-limited, waited 900 ms');
        await pause(LIMIT.retryAfterMs);
      }
    };
    // Long enough for three acts on any machine: the skip ends it well before.
    const outcome = await whileActive(server, alice, act, () => pause(10_000)).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Skipped);
    expect((outcome as Skipped).meta).toMatchObject({ limit: LIMIT.limit, retryAfterMs: 900 });
    expect(server.recorder.notes.at(-1)).toMatch(/^not checked: alice could not stay active: \d+ ms between two acts, more than her 600 ms currently_active window, because the server rate-limited the story \(PUT .*\{txnId\} \(M_LIMIT_EXCEEDED\)\)$/);
  });

  it('goes on when a slow act met no rate limit (the story then judges what it saw), and when a limit held nothing back that far', async () => {
    const { server, alice } = story();
    let acts = 0;
    // The observation lasts until her sixth act: by count, not by time, so a loaded machine changes nothing.
    let sixth: () => void = () => undefined;
    const sixActs = new Promise<void>((resolve) => (sixth = resolve));
    const act = async () => {
      acts++;
      if (acts === 2) await pause(900); // a slow server, no limit
      if (acts === 4) {
        server.recorder.rateLimited({ ...LIMIT, retryAfterMs: 50 }, 'alice: rate-limited, waited 50 ms');
        await pause(50);
      }
      if (acts === 6) sixth();
    };
    const { lastActivity } = await whileActive(server, alice, act, () => sixActs);
    expect(acts).toBeGreaterThan(4);
    expect(lastActivity.endedAt).toBeGreaterThanOrEqual(lastActivity.startedAt);
  });

  it('syncs before each act, unless she is a bot that acts without syncing (syncs: false)', async () => {
    for (const syncs of [true, false]) {
      const { server } = story();
      const calls: string[] = [];
      const alice = { role: 'alice', sync: async () => void calls.push('sync') } as unknown as MatrixUser;
      let acts = 0;
      let third: () => void = () => undefined;
      const threeActs = new Promise<void>((resolve) => (third = resolve));
      const act = async () => {
        calls.push('act');
        if (++acts === 3) third();
      };
      await whileActive(server, alice, act, () => threeActs, { syncs });
      expect(calls.slice(0, 6)).toEqual(syncs ? ['sync', 'act', 'sync', 'act', 'sync', 'act'] : ['act', 'act', 'act']);
    }
  });
});
