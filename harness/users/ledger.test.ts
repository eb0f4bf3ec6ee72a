import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import { redactText } from '../redact.js';
import { runStopped } from '../story/announce.js';
import { UserLedger, usersChannelName } from './ledger.js';

/**
 * A worker thread that posts `notes` on `channel` the way harness/story/announce.ts
 * does (plain JS: the worker has no TypeScript loader), then stays busy until terminated.
 */
function worker(channel: string, notes: unknown[]): Worker {
  const code = `
    const { BroadcastChannel, workerData } = require('node:worker_threads');
    const channel = new BroadcastChannel(workerData.channel);
    for (const note of workerData.notes) channel.postMessage(note);
    require('node:worker_threads').parentPort.postMessage('posted');
    setInterval(() => {}, 1000);
  `;
  return new Worker(code, { eval: true, workerData: { channel, notes } });
}

describe('UserLedger', () => {
  let ledger: UserLedger | undefined;
  afterEach(() => ledger?.close());

  it('keeps every user a worker thread announced, even one the worker was terminated right after announcing', async () => {
    const name = usersChannelName(`pctest${Date.now()}`);
    ledger = new UserLedger(name);
    const baseUrl = 'http://127.0.0.1:1';
    const thread = worker(name, [
      { kind: 'creating', baseUrl, username: 'pc-a-alice', password: 'alice-password-123' },
      { kind: 'created', baseUrl, username: 'pc-a-alice', userId: '@pc-a-alice:hs', accessToken: 'alice-token-123' },
      { kind: 'device', baseUrl, userId: '@pc-a-alice:hs', accessToken: 'alice-token-456' },
      // Terminated mid-registration: only the note sent before the request.
      { kind: 'creating', baseUrl, username: 'pc-a-bob', password: 'bob-password-123' },
    ]);
    await new Promise((resolve) => thread.once('message', resolve));
    await thread.terminate();
    await ledger.settled();

    expect(ledger.all()).toEqual([
      { baseUrl, username: 'pc-a-alice', password: 'alice-password-123', userId: '@pc-a-alice:hs', tokens: ['alice-token-123', 'alice-token-456'] },
      { baseUrl, username: 'pc-a-bob', password: 'bob-password-123', tokens: [] },
    ]);
    // What the run learns is a secret in its own thread too.
    expect(redactText('alice-password-123 alice-token-456 bob-password-123')).toBe('<redacted> <redacted> <redacted>');
  });

  it('keeps apart the users of two runs in one process', async () => {
    const first = new UserLedger(usersChannelName('pcone'));
    const second = new UserLedger(usersChannelName('pctwo'));
    const thread = worker(usersChannelName('pcone'), [{ kind: 'creating', baseUrl: 'http://127.0.0.1:1', username: 'pcone-x', password: 'x-password-123' }]);
    await new Promise((resolve) => thread.once('message', resolve));
    await thread.terminate();
    await first.settled();
    expect([first.all().length, second.all().length]).toEqual([1, 0]);
    first.close();
    second.close();
  });

  it('can be told to stop once closed (Ctrl-C during the clean-up, after the worker ended)', () => {
    ledger = new UserLedger(usersChannelName(`pcclosed${Date.now()}`));
    ledger.close();
    expect(() => ledger!.stop()).not.toThrow();
  });

  it('stops the stories of its run, also when a story starts listening after the stop', async () => {
    const name = usersChannelName(`pcstop${Date.now()}`);
    ledger = new UserLedger(name);
    ledger.stop();
    // This thread's first listener asks, and is told.
    const stopped = runStopped(name);
    await eventually(async () => stopped.aborted, (aborted) => aborted, { deadline: Date.now() + 5_000, what: 'the stop', intervalMs: 10 });
  });
});
