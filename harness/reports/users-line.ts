import type { UsersOutcome } from '../results/model.js';

/** Whether there is anything to say of the run's users: a run refused at its first registration made none. */
export function usersToTell(users: UsersOutcome | undefined): users is UsersOutcome {
  return users !== undefined && (users.made > 0 || users.failed > 0);
}

/** How many names a line lists before "and N more". */
const NAMED = 10;

/**
 * The one line the console and summary.md give the run's test users: how
 * many were made and deactivated, or why they were not; users left active
 * are named (user IDs only), as a warning.
 */
export function usersLine(users: UsersOutcome): string {
  const made = `${users.made} test user${users.made === 1 ? '' : 's'} made`;
  if (users.skipped === 'kept') return `${made}, kept on the server (--keep-users)`;
  if (users.skipped === 'removed-with-server') return `${made}; server removed with the run, and they with it`;
  if (users.skipped === 'target-lost') return `${made}; not deactivated: the server went away`;
  const took = users.durationMs === undefined ? '' : ` (${(users.durationMs / 1000).toFixed(1)} s)`;
  const done = `${made}, ${users.deactivated} deactivated after leaving their rooms${took}`;
  if (!users.failed) return done;
  const names = users.notCleanedUp ?? [];
  const listed = names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
  return `${done}; WARNING: ${users.failed} left active on the server: ${listed}${users.cause ? ` (first cause: ${users.cause})` : ''}`;
}
