import { sleep } from '../clock.js';
import type { MatrixUser } from '../client/matrix-user.js';
import type { TargetTimings } from '../../timings.js';
import type { TestServer } from '../test-server.js';

/** When a user's last pro-active event began and ended (epoch ms). */
export interface LastActivity {
  startedAt: number;
  endedAt: number;
}

/**
 * How often a user who "stays active" acts: three times per declared
 * `currently_active` window, so a server never has reason to think them idle.
 */
export function activityPace(timings: TargetTimings): number {
  return Math.max(250, Math.floor(timings.activeWindowMs / 3));
}

/**
 * How long a user must keep acting, from now, for her last active time to
 * move on by more than one `currently_active` window, and for an update
 * saying so to reach a roommate: a server may record activity only once per
 * window (Synapse's `last_active_granularity`), so the first action that moves
 * it comes up to one pace after the window, and its update up to the delivery
 * time after that; slack covers the requests' own latency.
 */
export function activeLongerThanWindow(timings: TargetTimings): number {
  return timings.activeWindowMs + activityPace(timings) + timings.deliveryMs + timings.slackMs;
}

/**
 * `user` stays active while `during` runs: a quick /sync (the client stays
 * connected) then `act` (a pro-active event, such as a message), every
 * `activityPace`, until `during` settles. With `syncs: false` she only acts,
 * as a bot does after its one sync at start (BOT_CLIENT): a server may take
 * a different path for a user who is not syncing. Resolves to what `during` resolved to and
 * when the last `act` ran — the user's last pro-active event.
 *
 * "Stays active" is the story's premise: two acts more than a
 * `currently_active` window apart may let the server rightly think her idle
 * in between. When a rate limit held an act back that far (a 429 waited
 * out, a paced presence change), the story is not checked for that limit
 * (`TestServer.rateLimitBroke`): the limit, not presence, decided what
 * happened.
 */
export async function whileActive<T>(
  server: TestServer,
  user: MatrixUser,
  act: () => Promise<unknown>,
  during: () => Promise<T>,
  options: { syncs?: boolean } = {},
): Promise<{ result: T; lastActivity: LastActivity }> {
  const syncs = options.syncs ?? true;
  const { activeWindowMs } = server.timings;
  let settled = false;
  const observed = during().finally(() => {
    settled = true;
  });
  const wakeUp = observed.then(
    () => undefined,
    () => undefined,
  );
  let lastActivity: LastActivity | undefined;
  const acting = (async () => {
    while (!settled) {
      if (syncs) await user.sync({ timeoutMs: 0 });
      const startedAt = Date.now();
      const limitsBefore = server.recorder.rateLimits.length;
      await act();
      const endedAt = Date.now();
      if (lastActivity && endedAt - lastActivity.startedAt > activeWindowMs) {
        server.rateLimitBroke(limitsBefore, `${user.role} could not stay active: ${endedAt - lastActivity.startedAt} ms between two acts, more than her ${activeWindowMs} ms currently_active window`);
      }
      lastActivity = { startedAt, endedAt };
      // Pacing between two actions of a user, not a wait for the server.
      if (!settled) await Promise.race([wakeUp, sleep(activityPace(server.timings))]);
    }
  })();
  const [result] = await Promise.all([observed, acting]);
  if (!lastActivity) throw new Error(`${user.role} never got to act while ${during.name || 'the observation'} ran`);
  return { result, lastActivity };
}
