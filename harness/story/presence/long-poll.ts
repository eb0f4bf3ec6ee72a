import type { MatrixUser, PresenceContent, SyncBody } from '../client/matrix-user.js';
import { isAbout } from '../client/matrix-user.js';
import type { Reply } from '../client/http.js';
import type { TestServer } from '../test-server.js';
import { ConformanceFailure, Inconclusive } from '../errors.js';

/**
 * The /sync long-poll of a realistic app: matrix-js-sdk's default
 * `pollTimeout` (Element Web and most SDK clients) is 30 s. The suites'
 * observers poll for 2 s, so a server whose long-poll a presence change does
 * not end still delivers within their deadlines; an app waiting 30 s sees
 * the change only when its poll times out.
 */
export const APP_LONG_POLL_MS = 30_000;

/** Attempts at getting a poll that waits, before the story is inconclusive. */
const ATTEMPTS = 3;

/** A /sync long-poll in flight: parked in the server, waiting for news. */
export interface LongPoll {
  readonly timeoutMs: number;
  /** When its timeout runs out (epoch ms, from when it was sent). */
  readonly endsAt: number;
  readonly reply: Promise<Reply<SyncBody>>;
}

/**
 * Starts `observer`'s /sync long-poll and resolves once it is waiting in the
 * server, so that a change made next is news to a poll already in flight.
 * Its timeout is the app's (`APP_LONG_POLL_MS`), and past the delivery
 * deadline in any case, so only the change can end it in time. "Waiting in
 * the server" is judged by the clock: the poll gets the target's declared
 * allowance for request latency (`slackMs`), and no less than twice an
 * incremental /sync with timeout 0 measured just before (the server's whole
 * handling of one), to reach its wait. A settle too short could only hide the
 * fault, never invent it (a poll arriving after the change is answered at
 * once); one too long only costs time. A poll that returns during the
 * settle had news of its own; after `ATTEMPTS` such polls the story is
 * inconclusive.
 */
export async function waitingLongPoll(server: TestServer, observer: MatrixUser): Promise<LongPoll> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const handling = await observer.sync();
    if (handling.status !== 200) throw new Inconclusive(`${observer.role} could not sync`, undefined, handling.evidence);
    const settleMs = Math.max(server.timings.slackMs, 2 * handling.exchange.durationMs);
    // Past the deadline of a change made after the settle, with the slack as margin (the allowance is re-measured meanwhile).
    const timeoutMs = Math.max(APP_LONG_POLL_MS, settleMs + server.soon() - Date.now() + server.timings.slackMs);
    server.lasting(timeoutMs);
    let returned = false;
    const endsAt = Date.now() + timeoutMs;
    const reply = observer.sync({ timeoutMs });
    void reply.then(() => (returned = true), () => (returned = true));
    await server.pauseUntil(Date.now() + settleMs);
    if (!returned) {
      server.recorder.note(`${observer.role}'s long-poll of ${Math.round(timeoutMs / 1000)} s is waiting (after ${settleMs} ms: the declared slack for request latency, at least twice an incremental /sync's ${handling.exchange.durationMs} ms)`);
      return { timeoutMs, endsAt, reply };
    }
    server.recorder.note(`${observer.role}'s long-poll returned within ${settleMs} ms (news of its own); attempt ${attempt} of ${ATTEMPTS}`);
    await reply;
  }
  throw new Inconclusive(`${observer.role}'s /sync long-poll kept returning at once (${ATTEMPTS} times), so no poll was waiting when the change came`);
}

/**
 * A long-polling app's view of a change of `subject`'s: `poll` was waiting
 * when she made it, and the app keeps polling (a poll that something else
 * ended is followed by another) until a response carries an `m.presence`
 * event about her that `accept` takes, by `deadline`. A poll that outlives
 * the deadline is awaited to its end (the app has nothing else), and a
 * failure says what it returned and whether the next /sync had the change.
 */
export async function seesThroughLongPoll(
  server: TestServer,
  observer: MatrixUser,
  subject: MatrixUser,
  accept: (content: PresenceContent) => boolean,
  options: { poll: LongPoll; deadline: number; what: string; changedAt: number },
): Promise<PresenceContent> {
  const carries = (body: SyncBody) => body.presence?.events?.filter((e) => isAbout(e, subject.userId)).map((e) => e.content).find(accept);
  const who = `${observer.role}'s long-poll of ${Math.round(options.poll.timeoutMs / 1000)} s`;
  if (options.poll.endsAt <= options.deadline) {
    throw new Inconclusive(`${who} would time out ${((options.deadline - options.poll.endsAt) / 1000).toFixed(1)} s before the delivery deadline, so its timeout could not tell a change that ends it from one that waits for the next poll (the change came late, or the deadline grew)`);
  }
  let poll = options.poll;
  for (;;) {
    const reply = await poll.reply;
    if (reply.status !== 200) throw new Inconclusive(`${observer.role} could not long-poll /sync`, undefined, reply.evidence);
    const tookS = (reply.exchange.durationMs / 1000).toFixed(1);
    const content = carries(reply.body);
    const late = Date.now() - options.deadline;
    if (content !== undefined) {
      if (late <= 0) return content;
      throw new ConformanceFailure(`${who} carried ${subject.role}'s ${options.what} only when it returned after ${tookS} s, ${(late / 1000).toFixed(1)} s past the delivery deadline\n${reply.evidence}`);
    }
    if (late < 0) {
      // Something else ended it in time: the app polls again.
      poll = { timeoutMs: poll.timeoutMs, endsAt: Date.now() + poll.timeoutMs, reply: observer.sync({ timeoutMs: poll.timeoutMs }) };
      continue;
    }
    const next = await observer.sync();
    const after = next.status === 200 && carries(next.body) !== undefined ? 'came only in the next /sync' : 'was not in the next /sync either';
    const made = `made ${((options.changedAt - Date.parse(reply.exchange.startedAt)) / 1000).toFixed(1)} s into the poll, due by ${((options.deadline - options.changedAt) / 1000).toFixed(1)} s after`;
    throw new ConformanceFailure(`${who} returned ${describe(reply.body)} after ${tookS} s; ${subject.role}'s ${options.what} (${made}) ${after}\n${reply.evidence}\n${next.evidence}`);
  }
}

function describe(body: SyncBody): string {
  const events = body.presence?.events ?? [];
  const rooms = Object.keys((body.rooms as { join?: Record<string, unknown> } | undefined)?.join ?? {}).length;
  if (events.length === 0 && rooms === 0) return 'empty';
  return `without it (${events.length} other presence event${events.length === 1 ? '' : 's'}, news of ${rooms} room${rooms === 1 ? '' : 's'})`;
}
