import { Inconclusive } from '../errors.js';
import type { Reply } from './http.js';
import { keepPolling } from './sync-loop.js';

/**
 * The `/versions` unstable feature by which a server advertises simplified
 * sliding sync (MSC4186, "Unstable prefix").
 */
export const SLIDING_SYNC_FLAG = 'org.matrix.simplified_msc3575';

/**
 * Where servers serve MSC4186, in the order a client tries them: the
 * unstable path servers serve today (Synapse 1.163 and tuwunel 1.4.6 both
 * advertise and serve it; ruma, hence matrix-rust-sdk and Element X,
 * requests only it), then `v5`, the stable path ruma reserves for when the
 * proposal is in the spec.
 */
export const SLIDING_SYNC_PATHS = ['/_matrix/client/unstable/org.matrix.simplified_msc3575/sync', '/_matrix/client/v5/sync'] as const;

/**
 * The connection's ID: one per client (the MSC lets a device hold several);
 * ruma limits it to 16 characters.
 */
export const SLIDING_SYNC_CONN_ID = 'conformance';

/**
 * The request body: one list of the user's most recent rooms with their
 * latest event, the minimum a room-list client (Element X's) asks for. The
 * story reads presence elsewhere: this only keeps a connection open.
 */
const REQUEST_BODY = {
  conn_id: SLIDING_SYNC_CONN_ID,
  lists: { rooms: { ranges: [[0, 19]], timeline_limit: 1, required_state: [] } },
};

/** The parts of a sliding-sync response the harness reads. */
export interface SlidingSyncBody {
  /** Where the next request of the connection continues from. */
  pos?: string;
  errcode?: string;
  [key: string]: unknown;
}

/** One sliding-sync request as a device sends it (the device adds its token and role). */
export interface SlidingSyncRequest {
  path: string;
  query: Record<string, string | number | undefined>;
  body: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SlidingSyncOptions {
  /** `set_presence`; omitted when undefined (the MSC: then the client is marked online). */
  setPresence?: string;
  /** Long-poll `timeout` handed to the server (it ignores it on a connection's first request). */
  timeoutMs?: number;
  /** Cancels the long-poll (see `whileSyncing`). */
  signal?: AbortSignal;
}

/**
 * One device's sliding-sync connection (MSC4186) at `path`: a POST whose
 * query carries `pos` and `timeout` (where ruma, hence matrix-rust-sdk and
 * Element X, puts them, and where Synapse 1.163 and tuwunel read them) and
 * whose body holds the connection ID and the lists. `set_presence` goes in
 * both: the MSC's table lists it among the body's fields, and tuwunel 1.4.6
 * (through its ruma fork, matrix-construct/ruma) reads it only there, while
 * upstream ruma sends it as a query parameter; Synapse ignores body fields it
 * does not know. Sent both ways, a server that reads it from either place is
 * judged on what it does with it, not where it looks. Each response's `pos`
 * continues the connection; a server that expired it (400 `M_UNKNOWN_POS`)
 * is answered by starting a new one, as the MSC asks of clients.
 */
export class SlidingSyncClient {
  private pos: string | undefined;

  constructor(
    readonly path: string,
    /** Role of the device in the story, for messages. */
    private readonly role: string,
    private readonly send: (request: SlidingSyncRequest) => Promise<Reply<SlidingSyncBody>>,
    /** Paces presence changes like the device's /sync (harness/story/client/presence-pacer.ts). */
    private readonly beforeSync: (setPresence: string | undefined, signal?: AbortSignal) => Promise<void> = async () => {},
  ) {}

  /** One request of the connection: the first (no `pos`), or the next. */
  async sync(options: SlidingSyncOptions = {}): Promise<Reply<SlidingSyncBody>> {
    await this.beforeSync(options.setPresence, options.signal);
    const timeout = options.timeoutMs ?? 0;
    const reply = await this.send({
      path: this.path,
      query: { pos: this.pos, timeout, set_presence: options.setPresence },
      body: options.setPresence === undefined ? REQUEST_BODY : { ...REQUEST_BODY, set_presence: options.setPresence },
      // The server holds a long-poll up to `timeout`; the answer may take a while longer.
      timeoutMs: timeout + 15_000,
      signal: options.signal,
    });
    if (reply.status === 200 && typeof reply.body.pos === 'string') this.pos = reply.body.pos;
    if (connectionExpired(reply)) this.pos = undefined;
    return reply;
  }

  /**
   * Runs `story` while this connection keeps long-polling (`pollMs`, with
   * `setPresence`), as a sliding-sync client in the foreground does. An
   * expired connection is started anew; any other refusal ends the story as
   * inconclusive: the connection is its premise.
   */
  whileSyncing<T>(options: { setPresence?: string; pollMs: number }, story: () => Promise<T>): Promise<T> {
    return keepPolling(async (signal) => {
      const reply = await this.sync({ setPresence: options.setPresence, timeoutMs: options.pollMs, signal });
      if (reply.status !== 200 && !connectionExpired(reply)) throw new Inconclusive(`${this.role} could not keep sliding-syncing at ${this.path}`, undefined, reply.evidence);
    }, story);
  }
}

/** The server expired the connection (MSC4186 "Connections"): the client starts a new one. */
function connectionExpired(reply: Reply<SlidingSyncBody>): boolean {
  return reply.status === 400 && reply.body?.errcode === 'M_UNKNOWN_POS';
}

/**
 * Whether a probe's answer says the path is not served: 404 or 405 (Synapse
 * and Dendrite answer an unknown path 404 `M_UNRECOGNIZED`; some routers 405
 * an unknown method on a known prefix). Anything else, a refusal of the
 * request's content included, means something serves it.
 */
export function notServed(reply: Reply<unknown>): boolean {
  return reply.status === 404 || reply.status === 405;
}

/** What discovery found: the path to use, and whether `/versions` advertised it. */
export type SlidingSyncOffer = { path: string; advertised: boolean } | { path?: undefined; reason: string };

/**
 * Finds the sliding-sync endpoint a server offers: `/versions`'s unstable
 * feature is noted, but the request decides (a flag may be missing where
 * the endpoint is served, or set where it is not, as with Synapse's
 * per-user experimental features). `probe` sends one request at a path
 * (the story's own user, with `set_presence=offline`, before the story sets
 * her state). `serverName` names the server in the reason of a refusal.
 */
export async function discoverSlidingSync(
  /** Whether `/versions` lists SLIDING_SYNC_FLAG as `true` (harness/story/client/versions.ts). */
  advertised: boolean,
  probe: (path: string) => Promise<Reply<unknown>>,
  serverName: string,
): Promise<SlidingSyncOffer> {
  const answers: string[] = [];
  for (const path of SLIDING_SYNC_PATHS) {
    const reply = await probe(path);
    if (!notServed(reply)) return { path, advertised };
    answers.push(`POST ${path}: ${reply.status}`);
  }
  const flag = advertised ? `although /versions advertises ${SLIDING_SYNC_FLAG}` : `nor does /versions advertise ${SLIDING_SYNC_FLAG}`;
  return { reason: `${serverName} offers no sliding-sync endpoint (tried ${answers.join(', ')}; ${flag})` };
}
