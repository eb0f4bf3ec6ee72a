import type { Mutant } from '../mutant.js';
import { ownPresencePut } from '../payloads.js';

/** Missing authorisation check on the path's user ID. */
export const putOtherUser: Mutant = {
  name: 'put-other-user',
  bug: "PUT status applies to the user named in the path without checking it is the requester (anyone can set anyone's presence)",
  violates: ['PRES-PUT-OTHER'],
  areas: ['put'],
  create() {
    return {
      request(request, context) {
        if (request.route !== 'presence-put' || !request.requester || !request.subject || request.requester === request.subject) return;
        const token = context.tokenOf(request.subject);
        if (token) {
          // Behave exactly as if the check were missing: the server acts for the path's user.
          request.headers.authorization = `Bearer ${token}`;
          context.fired("PUT on another user's status executed as that user");
          return;
        }
        context.fired("PUT on another user's status answered 200 (user unknown to the proxy)");
        return { status: 200, json: {} };
      },
    };
  },
};

/** `status_msg` is dropped on the way to storage. */
export const putDropsStatusMsg: Mutant = {
  name: 'put-drops-status-msg',
  bug: 'PUT status stores the state but silently drops status_msg',
  violates: ['PRES-PUT-ROUNDTRIP'],
  areas: ['put'],
  create() {
    return {
      request(request, context) {
        const put = ownPresencePut(request);
        if (put && 'status_msg' in put && typeof put.status_msg === 'string') {
          delete put.status_msg;
          context.fired('status_msg dropped from PUT');
        }
      },
    };
  },
};

/** `offline` is acknowledged but never stored. */
export const putOfflineIgnored: Mutant = {
  name: 'put-offline-ignored',
  bug: 'PUT status with offline answers 200 {} but leaves the previous state in place',
  violates: ['PRES-PUT-ROUNDTRIP'],
  areas: ['put', 'states'],
  create() {
    return {
      request(request, context) {
        if (ownPresencePut(request)?.presence !== 'offline') return;
        context.fired('PUT offline acknowledged, not applied');
        return { status: 200, json: {} };
      },
    };
  },
};
