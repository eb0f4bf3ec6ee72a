import type { Mutant } from '../mutant.js';
import type { RequirementId } from '../../requirement-ids.js';

function dropsSetPresence(name: string, value: string, bug: string, requirement: RequirementId): Mutant {
  return {
    name,
    bug,
    violates: [requirement],
    areas: ['sync'],
    create() {
      return {
        request(request, context) {
          if (request.route !== 'sync' || request.url.searchParams.get('set_presence') !== value) return;
          request.url.searchParams.delete('set_presence');
          context.fired(`set_presence=${value} ignored`);
        },
      };
    },
  };
}

/** `set_presence=offline` is ignored. */
export const syncIgnoresOffline = dropsSetPresence(
  'sync-ignores-offline',
  'offline',
  '/sync ignores set_presence=offline and marks the syncing user online as if the parameter were absent',
  'PRES-SYNC-OFFLINE',
);

/** `set_presence=unavailable` is ignored. */
export const syncIgnoresUnavailable = dropsSetPresence(
  'sync-ignores-unavailable',
  'unavailable',
  '/sync ignores set_presence=unavailable and marks the syncing user online',
  'PRES-SYNC-UNAVAILABLE',
);
