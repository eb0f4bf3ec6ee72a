import { BroadcastChannel } from 'node:worker_threads';
import { setMaxListeners } from 'node:events';

/**
 * What a thread that registers a test user tells the run, in memory only
 * (the password and tokens are secrets: they never reach a file). Sent
 * before the registration request (`creating`), so a run cut short while a
 * registration is in flight still knows the account may exist and can log
 * in to remove it; then `created` with the session, and `device` for every
 * further login (a second device).
 */
export type UserNote =
  | { kind: 'creating'; baseUrl: string; username: string; password: string }
  | { kind: 'created'; baseUrl: string; username: string; userId: string; accessToken: string }
  | { kind: 'device'; baseUrl: string; userId: string; accessToken: string };

/**
 * The other direction on the same channel: the run tells its worker to stop
 * (Ctrl-C), and a worker that starts listening asks whether it already has.
 * Vitest's own cancel waits for running tests and, with concurrent tests,
 * aborts the signal of only some (vitest 4.1.12's `addRunningTest` removes
 * every later test along with a finished one): against a server that stays
 * up (a url target), a story would go on for minutes.
 */
export type RunControl = { kind: 'hello' } | { kind: 'stop' };

/** This thread's end of each run's channel, by name, with the run's stop signal. */
const channels = new Map<string, { channel: BroadcastChannel; stopped: AbortController }>();

function open(channelName: string): { channel: BroadcastChannel; stopped: AbortController } {
  let open = channels.get(channelName);
  if (!open) {
    const channel = new BroadcastChannel(channelName);
    const stopped = new AbortController();
    // Every request of every story listens to it.
    setMaxListeners(0, stopped.signal);
    channel.onmessage = (event) => {
      if ((event as { data: RunControl | UserNote }).data.kind === 'stop') stopped.abort(new Error('the run was stopped'));
    };
    channel.unref();
    open = { channel, stopped };
    channels.set(channelName, open);
    // A stop sent before this thread listened is sent again in answer.
    channel.postMessage({ kind: 'hello' } satisfies RunControl);
  }
  return open;
}

/**
 * Tells the run that owns `channelName` (its `UserLedger`, in the run's
 * thread) about a user this thread registers, so the run can remove it at
 * its end (harness/users/clean-up.ts). Posting is synchronous: a note sent
 * before the registration request reaches the run even if this worker is
 * terminated mid-request (a run cut short by Ctrl-C).
 */
export function announceUser(channelName: string | undefined, note: UserNote): void {
  if (channelName) open(channelName).channel.postMessage(note);
}

/** Aborted when the run that owns `channelName` is stopped (Ctrl-C): stories end at once. */
export function runStopped(channelName: string): AbortSignal {
  return open(channelName).stopped.signal;
}
