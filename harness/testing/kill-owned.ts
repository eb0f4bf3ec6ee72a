import { processesOwnedBy } from '../targets/managed-process.js';

/** SIGKILLs every process tagged with `owner` (the homeserver), as a crash or the OOM killer would. */
export function killOwned(owner: string): number {
  let killed = 0;
  for (const pid of processesOwnedBy(owner)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // Gone between the listing and the kill (a short-lived child).
    }
  }
  return killed;
}
