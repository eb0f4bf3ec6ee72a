import { BroadcastChannel } from 'node:worker_threads';
import { registerSecret } from '../redact.js';
import type { RunControl, UserNote } from '../story/announce.js';

/** One account the run registered (or began to), on the server at `baseUrl`. */
export interface LedgerEntry {
  baseUrl: string;
  /** The localpart asked for: what a login names when the registration's answer never came. */
  username: string;
  password: string;
  /** Known once the registration answered. */
  userId?: string;
  /** Every access token the run holds for it (first the registration's, then further devices'). */
  tokens: string[];
}

/**
 * The BroadcastChannel on which a run's test worker announces its users to
 * the run (harness/story/announce.ts); named per run, so concurrent runs of
 * one process (the self-check's) keep their users apart.
 */
export function usersChannelName(runPrefix: string): string {
  return `presence-conformance-users:${runPrefix}`;
}

/**
 * Every user a run registered, kept in the run's (main) thread: the
 * preflight's, noted directly, and the suites', announced by the vitest
 * worker thread over the run's BroadcastChannel. Messages posted before the
 * worker ends are queued for this thread and arrive after it (`settled`).
 */
export class UserLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly channel: BroadcastChannel;
  private stopping = false;
  private closed = false;

  constructor(readonly channelName: string) {
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (event) => {
      const message = (event as { data: UserNote | RunControl }).data;
      if (message.kind === 'hello') {
        if (this.stopping) this.channel.postMessage({ kind: 'stop' } satisfies RunControl);
      } else if (message.kind !== 'stop') this.note(message);
    };
    // Listening must not keep the process alive.
    this.channel.unref();
  }

  note(note: UserNote): void {
    registerSecret(note.kind === 'creating' ? note.password : note.accessToken);
    if (note.kind === 'creating') {
      const key = keyOf(note.baseUrl, note.username);
      if (!this.entries.has(key)) this.entries.set(key, { baseUrl: note.baseUrl, username: note.username, password: note.password, tokens: [] });
      return;
    }
    const entry = note.kind === 'created' ? this.entries.get(keyOf(note.baseUrl, note.username)) : this.byUserId(note.baseUrl, note.userId);
    if (!entry) return;
    entry.userId = note.userId;
    if (!entry.tokens.includes(note.accessToken)) entry.tokens.push(note.accessToken);
  }

  /** Every account noted so far; call `settled` first to have the worker's last messages. */
  all(): LedgerEntry[] {
    return [...this.entries.values()];
  }

  /** Resolves once messages already posted to this thread have been delivered. */
  async settled(): Promise<void> {
    // A message posted by a thread is queued here at once; it is delivered
    // on a later turn of this thread's event loop.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Tells the run's worker to end every story now (its requests are aborted: harness/story/announce.ts). */
  stop(): void {
    // Closed: the worker has ended already (a Ctrl-C during the clean-up).
    if (this.stopping || this.closed) return;
    this.stopping = true;
    this.channel.postMessage({ kind: 'stop' } satisfies RunControl);
  }

  close(): void {
    this.closed = true;
    this.channel.close();
  }

  private byUserId(baseUrl: string, userId: string): LedgerEntry | undefined {
    for (const entry of this.entries.values()) if (entry.baseUrl === baseUrl && entry.userId === userId) return entry;
    return undefined;
  }
}

function keyOf(baseUrl: string, username: string): string {
  return `${baseUrl} ${username}`;
}
