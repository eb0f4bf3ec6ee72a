import { presenceEvents, type ProxiedRequest, type ProxiedResponse } from './exchange.js';

/** Where a presence payload travelled: a GET status body or an `m.presence` event in /sync. */
export type PayloadPlace = 'get' | 'sync';

/** One presence payload in an answer: whose presence it is and its (mutable) content. */
export interface PresencePayload {
  user: string;
  content: Record<string, unknown>;
  place: PayloadPlace;
}

/**
 * Every presence payload in a server answer, for mutants that rewrite what
 * clients are told: the body of a successful GET status (about the path's
 * user), or each well-formed `m.presence` event of a /sync.
 */
export function presencePayloads(request: ProxiedRequest, response: ProxiedResponse): PresencePayload[] {
  if (response.status !== 200 || !response.json || typeof response.json !== 'object') return [];
  if (request.route === 'presence-get' && request.subject) {
    return [{ user: request.subject, content: response.json as Record<string, unknown>, place: 'get' }];
  }
  if (request.route === 'sync') {
    return (presenceEvents(response.json) ?? [])
      .filter((e) => typeof e.sender === 'string' && e.content && typeof e.content === 'object')
      .map((e) => ({ user: e.sender as string, content: e.content as Record<string, unknown>, place: 'sync' as const }));
  }
  return [];
}

/** Answers worth buffering for mutants that rewrite presence payloads. */
export function carriesPresence(request: ProxiedRequest): boolean {
  return request.route === 'presence-get' || request.route === 'sync';
}

/** The body of a PUT status that a user sends about their own presence, if this is one. */
export function ownPresencePut(request: ProxiedRequest): { presence?: unknown; status_msg?: unknown } | undefined {
  if (request.route !== 'presence-put' || !request.requester || request.requester !== request.subject) return undefined;
  return request.json && typeof request.json === 'object' ? (request.json as { presence?: unknown; status_msg?: unknown }) : undefined;
}

/** What a user last asked to be, as the proxy saw it (PUT status, or /sync `set_presence`). */
export interface Declared {
  presence: string;
  statusMsg?: string | null;
  at: number;
}

/**
 * Per-user memory of declared presence, for mutants whose bug depends on what
 * a user did earlier (a remembered `free_for_chat`, a manual `unavailable`).
 */
export class DeclaredPresence {
  private readonly byUser = new Map<string, Declared>();

  /** Notes the declaration a request makes, if it makes one. */
  observe(request: ProxiedRequest): void {
    const put = ownPresencePut(request);
    if (put && typeof put.presence === 'string') {
      const statusMsg = typeof put.status_msg === 'string' || put.status_msg === null ? put.status_msg : undefined;
      this.byUser.set(request.requester!, { presence: put.presence, statusMsg, at: request.receivedAt });
      return;
    }
    // Both syncs declare a state with set_presence (MSC4186: the same meaning on sliding sync).
    const setPresence = request.route === 'sync' || request.route === 'sliding-sync' ? request.url.searchParams.get('set_presence') : null;
    if (setPresence && request.requester) {
      const previous = this.byUser.get(request.requester);
      this.byUser.set(request.requester, { presence: setPresence, statusMsg: previous?.statusMsg, at: request.receivedAt });
    }
  }

  get(user: string): Declared | undefined {
    return this.byUser.get(user);
  }

  forget(user: string): void {
    this.byUser.delete(user);
  }
}
