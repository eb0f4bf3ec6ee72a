import type { Area, RequirementId } from '../catalogue.js';
import type { Answer, ProxiedRequest, ProxiedResponse } from './exchange.js';
import type { TargetTimings } from '../timings.js';

/** One item of an `m.presence` EDU's `push` list. */
export type PushItem = Record<string, unknown>;

/**
 * Which way a push item goes on a federating pair's link: `outbound` from the
 * server under test to the other one, `inbound` to the server under test.
 */
export type LinkDirection = 'outbound' | 'inbound';

/** Lets a behaviour say that it changed something (counted per mutant, for the report). */
export interface MutationContext {
  /** Records one injected fault; `note` names what was done (kept short, never a secret). */
  fired(note: string): void;
  /** User ID of a token the proxy has seen registered or logged in (for bugs that impersonate). */
  tokenOf(userId: string): string | undefined;
  /**
   * Whether `userId` is one of this proxy's run's users, on either server of a
   * pair (the run names them all with one prefix): federation mutants touch
   * only those, as several runs share the pair's link.
   */
  ours(userId: string): boolean;
  /** A client-server request to the server under test as `userId` (a token the proxy has seen); the status, 0 if unknown. */
  actAs(userId: string, method: 'PUT' | 'POST', path: string, json: unknown): Promise<number>;
  /** On a federating pair: sends `items` as an m.presence EDU from the server under test to the other one, as its own. */
  sendPresence?(items: PushItem[]): Promise<number>;
}

/**
 * The fault a mutant injects, as hooks on the proxied traffic. A fresh
 * behaviour is created per proxy, so any per-user state it keeps is its own.
 */
export interface MutantBehaviour {
  /**
   * Before forwarding: may modify `request` in place, or return an `Answer`
   * that the client gets instead (the request then never reaches the server).
   */
  request?(request: ProxiedRequest, context: MutationContext): Answer | void;
  /** Whether the server's answer to `request` should be buffered and handed to `response`. */
  wantsResponse?(request: ProxiedRequest): boolean;
  /**
   * After the server answered (JSON only): may modify `response` in place,
   * and may hold it (a promise: the client gets it when it resolves).
   */
  response?(request: ProxiedRequest, response: ProxiedResponse, context: MutationContext): void | Promise<void>;
  /**
   * On a federating pair: one m.presence push item about a user of this run,
   * on its way `outbound` (before the proxy records it: what the server under
   * test sent) or `inbound` (after: what it received). Returns the items to
   * pass on instead (none drops it).
   */
  presence?(direction: LinkDirection, item: PushItem, context: MutationContext): PushItem[] | Promise<PushItem[]>;
}

/** What a mutant may know of the server under test: a bug tied to a timer fires when the server's declared timer would. */
export interface MutantTarget {
  timings: TargetTimings;
}

/** One entry of the mutant catalogue: a realistic server bug and what it must break. */
export interface Mutant {
  /** Kebab-case name, used by `--only-mutant` and in reports. */
  name: string;
  /** The server bug this mutant imitates, in one sentence. */
  bug: string;
  /** Requirement IDs a correct suite must fail when a server has this bug. */
  violates: RequirementId[];
  /**
   * Suite areas worth running against this mutant, besides the areas of
   * `violates`. Undefined: every suite is relevant (faults in payloads that the
   * invariants check everywhere).
   */
  areas?: Area[];
  /** Acts on the federation link: only a federating pair (`--target synapse+synapse`) can run it. */
  needsPair?: boolean;
  create(target?: MutantTarget): MutantBehaviour;
}

/**
 * The same mutant, but active only for requests whose requester or subject
 * matches `users`. With a pattern no test's user IDs match, it is a mutant no
 * test can see: the self-check must report it as surviving.
 */
export function restrictToUsers(mutant: Mutant, users: RegExp, name = `${mutant.name}-restricted`): Mutant {
  const concerns = (request: ProxiedRequest) =>
    [request.requester, request.subject].some((id) => id !== undefined && users.test(id));
  return {
    ...mutant,
    name,
    bug: `${mutant.bug} (only for users matching ${users})`,
    create(target) {
      const inner = mutant.create(target);
      return {
        request: inner.request && ((request, context) => (concerns(request) ? inner.request!(request, context) : undefined)),
        wantsResponse: (request) => concerns(request) && (inner.wantsResponse?.(request) ?? false),
        response: inner.response && ((request, response, context) => (concerns(request) ? inner.response!(request, response, context) : undefined)),
        presence: inner.presence && ((direction, item, context) => (users.test(String(item.user_id)) ? inner.presence!(direction, item, context) : [item])),
      };
    },
  };
}
