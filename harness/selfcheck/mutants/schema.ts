import { presenceEvents } from '../exchange.js';
import type { Mutant } from '../mutant.js';

/** The federation EDU shape leaks into the client event. */
export const eventWithoutSender: Mutant = {
  name: 'event-without-sender',
  bug: 'm.presence events in /sync carry the user in content.user_id (the EDU shape) and have no sender',
  violates: ['PRES-SCHEMA-EVENT'],
  // A payload fault: the schema invariant every suite applies can catch it anywhere.
  create() {
    return {
      wantsResponse: (request) => request.route === 'sync',
      response(_request, response, context) {
        if (response.status !== 200) return;
        for (const event of presenceEvents(response.json) ?? []) {
          if (typeof event.sender !== 'string') continue;
          event.content = { ...(event.content ?? {}), user_id: event.sender };
          delete event.sender;
          context.fired('sender moved to content.user_id');
        }
      },
    };
  },
};

/** Delta-encoded presence events. */
export const eventPresenceDelta: Mutant = {
  name: 'event-presence-delta',
  bug: 'm.presence events are delta-encoded per observer: content.presence is left out when it did not change',
  violates: ['PRES-SCHEMA-EVENT'],
  // A payload fault: the schema invariant every suite applies can catch it anywhere.
  create() {
    const lastSeen = new Map<string, string>();
    return {
      wantsResponse: (request) => request.route === 'sync',
      response(request, response, context) {
        if (response.status !== 200 || !request.requester) return;
        for (const event of presenceEvents(response.json) ?? []) {
          const presence = event.content?.presence;
          if (typeof event.sender !== 'string' || typeof presence !== 'string') continue;
          const key = `${request.requester}\n${event.sender}`;
          if (lastSeen.get(key) === presence) {
            delete event.content!.presence;
            context.fired('unchanged content.presence left out');
          }
          lastSeen.set(key, presence);
        }
      },
    };
  },
};
