import type { Exchange } from '../../story/client/recorder.js';
import { presencePutOf } from './acts.js';

/** The role an actor acts for: `alice#2` (her second device) is alice. */
export function roleOf(actor: string): string {
  return actor.split('#')[0]!;
}

/**
 * Names user IDs by the role of the story that used them (`alice`, `bob`),
 * from what the evidence shows: a device's login or registration answer, a
 * PUT of its own presence, or a registration whose user name carries the
 * role. An ID none of these names is shown by the role its localpart
 * carries (the harness names users `<run>-<story>-<role>-<word>`), else by
 * its localpart.
 */
export function userNames(exchanges: readonly Exchange[]): (userId: string) => string {
  const roles = new Set(exchanges.map((x) => roleOf(x.actor)).filter((r) => r !== 'harness' && !r.startsWith('federation ')));
  const names = new Map<string, string>();
  for (const x of exchanges) {
    const role = roleOf(x.actor);
    const own = presencePutOf(x);
    if (own !== undefined && roles.has(role)) names.set(own, role);
    const userId = (x.responseBody as { user_id?: unknown } | undefined)?.user_id;
    if (typeof userId !== 'string' || names.has(userId)) continue;
    if (roles.has(role)) names.set(userId, role);
    else {
      const username = String((x.requestBody as { username?: unknown } | undefined)?.username ?? userId.slice(1).split(':')[0]);
      const named = [...roles].find((r) => username.includes(`-${r}-`) || username.endsWith(`-${r}`));
      if (named) names.set(userId, named);
    }
  }
  return (userId) => names.get(userId) ?? roleInLocalpart(userId);
}

function roleInLocalpart(userId: string): string {
  const localpart = userId.slice(1).split(':')[0] ?? userId;
  const parts = localpart.split('-');
  return parts.length >= 4 ? parts[2]! : localpart;
}

/** Every user ID the story registered, logged in or read the presence of. */
export function userIdsOf(exchanges: readonly Exchange[]): Set<string> {
  const ids = new Set<string>();
  for (const x of exchanges) {
    const userId = (x.responseBody as { user_id?: unknown } | undefined)?.user_id;
    if (typeof userId === 'string') ids.add(userId);
    const m = /\/presence\/([^/?]+)\/status/.exec(x.path);
    if (m) ids.add(decodeURIComponent(m[1]!));
  }
  return ids;
}
