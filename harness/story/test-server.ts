import { Faker, en } from '@faker-js/faker';
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { HttpTransport, poolFor } from './client/http.js';
import { trustCa } from './client/trust.js';
import { MatrixUser } from './client/matrix-user.js';
import { PresencePacer } from './client/presence-pacer.js';
import { registerSecret } from '../redact.js';
import { PresenceWatch } from './client/presence-watch.js';
import { Recorder } from './client/recorder.js';
import type { PresenceState } from './schema/invariants.js';
import { registerUser, type Session } from './client/registration.js';
import { announceUser, runStopped } from './announce.js';
import type { RegistrationMethod, TargetDescriptor } from './server-facts.js';
import { FederationRecord } from './federation/record.js';
import { serverNameOf } from '../user-id.js';
import { StoryBudget } from './budget.js';
import { eventually, remaining, sleep } from './clock.js';
import { timerDeadline, type TargetTimings } from '../timings.js';
import { given } from './given.js';
import { ROUND_TRIPS_PER_DELIVERY, roundTrips } from './client/round-trip.js';
import { readUnstableFeatures, type UnstableFeatures } from './client/versions.js';

/**
 * What a test sees of the server under test: user and room builders, the
 * target's timings turned into deadlines, and the recorder that keeps the
 * test's evidence. One per test, so concurrent tests never share users.
 *
 * Every deadline it hands out passes through the story's wait budget
 * (`--max-wait`): a story asking for a deadline further away than the budget
 * is skipped as slow at that call, before it waits (harness/story/budget.ts).
 */
export class TestServer {
  readonly recorder = new Recorder();
  readonly timings: TargetTimings;
  private readonly http: HttpTransport;
  private readonly watch: PresenceWatch;
  private readonly faker: Faker;
  private readonly tag: string;
  /** The round-trip allowance last noted in the evidence. */
  private notedAllowanceMs: number | undefined;
  private peerHttp: HttpTransport | undefined;
  private peerWatch: PresenceWatch | undefined;
  private record: FederationRecord | undefined;
  private versions: Promise<UnstableFeatures> | undefined;

  constructor(
    readonly target: TargetDescriptor,
    testName: string,
    private readonly budget: StoryBudget = StoryBudget.unlimited,
    /** The test's signal (vitest aborts it on a timeout or a cancelled run): set-up steps stop retrying. */
    private cancel?: AbortSignal,
    /** Ends the story as skipped (vitest's `context.skip`); absent outside the runner. */
    private readonly skipStory?: (reason: string) => never,
  ) {
    this.timings = target.timings;
    if (target.ca) trustCa(target.baseUrl, target.ca);
    // The run's own stop (Ctrl-C) ends the story too: vitest's cancel may not reach it (harness/users/ledger.ts).
    const stopped = target.usersChannel ? runStopped(target.usersChannel) : undefined;
    if (stopped) this.cancel = cancel ? AbortSignal.any([cancel, stopped]) : stopped;
    // Every request of the story listens to it (harness/story/client/http.ts): many at once is no leak.
    if (this.cancel) setMaxListeners(0, this.cancel);
    this.http = new HttpTransport(target.baseUrl, this.recorder, poolFor(target.baseUrl), this.cancel, budget);
    this.watch = new PresenceWatch(this.recorder, target.startedAt);
    const digest = createHash('sha256').update(testName).digest();
    // Seeded per test (run seed + test name) so names and texts replay whatever the scheduling.
    this.faker = new Faker({ locale: [en] });
    this.faker.seed([target.seed, digest.readUInt32BE(0)]);
    this.tag = digest.toString('hex').slice(0, 6);
    roundTrips.seed(target.roundTripMs);
    registerSecret(target.adminToken);
  }

  /**
   * Ends the story as not run on this server, saying why: for a premise this
   * server's declared timings make meaningless (a client kind it has no
   * timer for), never for what the server does. Never returns.
   */
  notApplicable(reason: string): never {
    this.recorder.note(`not applicable here: ${reason}`);
    if (this.skipStory) return this.skipStory(`not applicable here: ${reason}`);
    throw new Error(`not applicable here: ${reason}`);
  }

  /** Registers one fresh user per role, concurrently, in the order given. */
  users<const R extends readonly string[]>(...roles: R): Promise<{ [K in keyof R]: MatrixUser }> {
    return Promise.all(roles.map((role) => this.user(role))) as Promise<{ [K in keyof R]: MatrixUser }>;
  }

  async user(role: string): Promise<MatrixUser> {
    return this.registerOn(this.http, this.target.registration, role);
  }

  /**
   * Registers a user on the other server of a federating pair (`--target
   * a+b`); her user ID carries that server's name. Only federation stories
   * call it, and they skip without a pair.
   */
  async peerUser(role: string): Promise<MatrixUser> {
    const peer = this.target.peer;
    if (!peer) throw new Error('peerUser needs a federating pair (--target synapse+synapse)');
    this.peerHttp ??= new HttpTransport(peer.baseUrl, this.recorder, poolFor(peer.baseUrl), this.cancel, this.budget);
    this.peerWatch ??= new PresenceWatch(this.recorder, this.target.startedAt, `${peer.serverVersion} (${peer.serverName})`);
    return this.registerOn(this.peerHttp, peer.registration, role, this.peerWatch);
  }

  /** The pair's recording federation proxy, as this test sees it (its reads go into the evidence). */
  get federation(): FederationRecord {
    if (!this.target.federationControlUrl) throw new Error('the federation record needs a federating pair (--target synapse+synapse)');
    this.record ??= new FederationRecord(this.target.federationControlUrl, this.recorder);
    return this.record;
  }

  private async registerOn(http: HttpTransport, registration: RegistrationMethod, role: string, watch = this.watch): Promise<MatrixUser> {
    const first = this.faker.person.firstName().toLowerCase().replace(/[^a-z0-9]/g, '') || 'user';
    const username = `${this.target.runPrefix}-${this.tag}-${role}-${first}`.toLowerCase();
    const password = this.faker.internet.password({ length: 24 });
    const channel = this.target.usersChannel;
    // Announced before the request: a run cut short mid-registration still removes the account.
    announceUser(channel, { kind: 'creating', baseUrl: http.baseUrl, username, password });
    const session = await registerUser(http, registration, username, password);
    announceUser(channel, { kind: 'created', baseUrl: http.baseUrl, username, userId: session.userId, accessToken: session.accessToken });
    // The pace and the admin are the server under test's: a peer's users are neither paced nor logged in by its admin.
    const own = http === this.http;
    return new MatrixUser(http, role, session, password, watch, {
      pacer: new PresencePacer(own ? this.target.presencePace : undefined),
      ...(own && this.target.adminToken ? { adminToken: this.target.adminToken } : {}),
      // Each further device's session, so the run can clean up after it (harness/users/).
      announceDevice: (device: Session) => announceUser(channel, { kind: 'device', baseUrl: http.baseUrl, userId: device.userId, accessToken: device.accessToken }),
    });
  }

  /** `owner` creates a private room and every member joins it; returns the room ID. */
  async sharedRoom(owner: MatrixUser, ...members: MatrixUser[]): Promise<string> {
    const roomId = await owner.createRoom({ invite: members });
    if (members.every((m) => serverNameOf(m.userId) === serverNameOf(owner.userId))) {
      await Promise.all(members.map((m) => m.join(roomId)));
      return roomId;
    }
    // Across a pair, one at a time: joins made at once on both servers fork
    // the room's state, and Dendrite 0.13.8 then soft-fails the events of
    // the member its snapshot lacked ("sender not in room", seen here).
    for (const member of members) await member.join(roomId);
    return roomId;
  }

  /**
   * The opening of many stories: alice and bob share a room, alice sets
   * `state` with a fresh status message (after `prepare`, such as connecting
   * her client), and bob has seen exactly that (a
   * precondition: if he does not, the story is inconclusive, see PRES-VIS-SHARED-SYNC).
   * `setAt`: when her PUT was sent, from which her declared timers may run
   * (harness/story/presence/premise.ts). Set-up comes first, her PUT last, so no
   * timer runs down during set-up.
   */
  async aliceSeenByBob(state: PresenceState, prepare?: (alice: MatrixUser) => Promise<unknown>): Promise<{ alice: MatrixUser; bob: MatrixUser; status: string; setAt: number }> {
    const [alice, bob] = await this.users('alice', 'bob');
    await this.sharedRoom(alice, bob);
    await bob.sync();
    await prepare?.(alice);
    const status = this.statusMessage();
    const setAt = await alice.setPresence(state, status);
    await given(
      'PRES-VIS-SHARED-SYNC',
      `bob receives alice's ${state}, "${status}" over /sync`,
      bob.seesPresence(alice, (p) => p.presence === state && p.status_msg === status, { deadline: this.soon(), what: `${state}, "${status}"` }),
    );
    return { alice, bob, status, setAt };
  }

  /**
   * Precondition of a story in which one server of a pair must send to the
   * other right after users of both came to share `roomId`: `courier`, a
   * user of the sending server in the room for this alone, posts a message
   * and `receiver` reads it, so the sending server has the other among the
   * room's hosts. (Dendrite 0.13.8 learns a room's hosts asynchronously after
   * a join, and a presence change made before then goes to nobody:
   * federationapi/consumers/presence.go.) A courier, not the story's own
   * user: a message is pro-active, and the story's users must stay as the
   * story has them (never active, say; PRES-FED-SCHEMA depends on it).
   */
  async roomReaches(courier: MatrixUser, receiver: MatrixUser, roomId: string): Promise<void> {
    const text = this.message();
    await courier.sendMessage(roomId, text);
    await given(
      null,
      `the room reaches ${receiver.role}'s server: ${receiver.role} reads a message from ${courier.role}, on the other server`,
      eventually(
        () => receiver.readMessages(roomId),
        (reply) => JSON.stringify(reply.body).includes(JSON.stringify(text)) || undefined,
        { deadline: this.overFederation(this.soon()), what: `${courier.role}'s message in ${roomId}`, recorder: this.recorder },
      ),
    );
  }

  /** The server's `/versions` unstable features, read once per test (harness/story/client/versions.ts). */
  unstableFeatures(): Promise<UnstableFeatures> {
    this.versions ??= readUnstableFeatures(this.http);
    return this.versions;
  }

  /**
   * A presence state outside the spec's enum that this server offers through
   * an unstable feature it advertised (`feature`, read from `/versions`): the
   * payload invariants take it as that extension's value, not as a breach of
   * the enum, for this test's clients (noted in the evidence).
   */
  acceptExtensionState(state: string, feature: string): void {
    this.watch.acceptExtension(state, feature);
    this.recorder.note(`"${state}" is taken as a presence state of the unstable feature ${feature}, which /versions advertised, not as a value outside the enum`);
  }

  /** A public room (join rule `public`) created by `owner`. */
  publicRoom(owner: MatrixUser): Promise<string> {
    return owner.createRoom({ public: true });
  }

  /** A plausible chat message, from the seeded generator. */
  message(): string {
    return this.faker.lorem.sentence();
  }

  /** A plausible status message, from the seeded generator. */
  statusMessage(): string {
    return `${this.faker.word.adjective()} ${this.faker.word.noun()}`;
  }

  /**
   * Deadline for a change to reach another client: delivery time plus slack,
   * plus this server's round-trip allowance (`roundTripAllowance`).
   */
  soon(): number {
    return this.budget.admit(Date.now() + this.timings.deliveryMs + this.timings.slackMs + this.roundTripAllowance());
  }

  /**
   * Deadline for the other server of a pair to do its own part, such as
   * sending what its user just did: its declared delivery and slack, plus
   * the round-trip allowance.
   */
  soonThere(): number {
    const there = this.target.peer?.timings ?? this.timings;
    return this.budget.admit(Date.now() + there.deliveryMs + there.slackMs + this.roundTripAllowance());
  }

  /**
   * What a delivery deadline adds for the time requests take to and from
   * this server: two round trips as this worker currently measures them
   * (harness/story/client/round-trip.ts). Only delivery deadlines (`soon`,
   * `afterTimer`) get it: the requirement's own bounds (a threshold, a
   * window, `lasting`) are the spec's and stay as declared. Each new value is
   * noted in the evidence, with how it was measured.
   */
  roundTripAllowance(): number {
    const { allowanceMs, roundTripMs, basis } = roundTrips.current();
    const last = this.notedAllowanceMs;
    if (last === undefined || Math.abs(allowanceMs - last) >= Math.max(50, last / 4)) {
      this.notedAllowanceMs = allowanceMs;
      this.recorder.note(`delivery deadlines allow ${allowanceMs} ms for round trips (${ROUND_TRIPS_PER_DELIVERY} x ${roundTripMs} ms, ${basis})`);
    }
    return allowanceMs;
  }

  /**
   * Deadline for a watch that something never happens (no leak, no update of
   * a kind): at least `ms` from `from` (default now), and long enough for the
   * server's longest periodic presence job to run within it and its outcome
   * to be delivered, so a job that breaks the promise once a cycle cannot
   * fall outside the watch. When the target knows the job's phase
   * (`firstCycleAfterMs`), the watch lasts until its next run; otherwise a
   * whole cycle (`longestCycleMs`), and no less than until the latest its
   * first run after boot may come (`firstCycleByMs`), since the server may
   * have just booted (docs/decisions/0011-unknown-cycle-phase.md).
   */
  acrossCycles(ms = 0, from = Date.now()): number {
    const { longestCycleMs, firstCycleAfterMs, firstCycleByMs, deliveryMs, slackMs } = this.timings;
    // The job's phase is known to within the boot: the first run after `from`
    // counted from the spawn, then as late as the boot took (its run k is due
    // between the spawn's k-th and that plus the boot, and is after `from`).
    const boot = this.timersSetBy - this.target.startedAt;
    let nextRun = from + longestCycleMs;
    if (firstCycleAfterMs !== undefined) {
      const first = this.target.startedAt + firstCycleAfterMs;
      nextRun = (from <= first ? first : first + Math.ceil((from - first) / longestCycleMs) * longestCycleMs) + boot;
    }
    if (firstCycleByMs !== undefined) nextRun = Math.max(nextRun, this.timersSetBy + firstCycleByMs);
    return this.lasting(Math.max(ms, nextRun - from + deliveryMs + slackMs), from);
  }

  /**
   * The latest instant the server may have set its timers: when it first
   * answered (a server the harness started sets them during its boot, which
   * took seconds on a loaded machine: Synapse's first persistence came 7 s
   * after the spawn plus 2 minutes, and a watch ending there missed it), or
   * when it was started or first contacted.
   */
  private get timersSetBy(): number {
    return this.target.readyAt ?? this.target.startedAt;
  }

  /**
   * For a premise a rate limit broke: if the story's requests met a rate
   * limit (waited out, or paced) since `since` (an index into
   * `recorder.rateLimits`), the story ends as not checked for that limit,
   * with `why` in the evidence; a limit is a deployment's choice, never a
   * presence failure. Returns when none was met (the caller then decides).
   */
  rateLimitBroke(since: number, why: string): void {
    const hit = this.recorder.rateLimits.slice(since).at(-1);
    if (!hit) return;
    this.recorder.note(`not checked: ${why}, because the server rate-limited the story (${hit.limit})`);
    this.budget.skipForRateLimit(hit);
  }

  /**
   * The end of a story phase that lasts `ms` from `from` (default now): a
   * user who keeps acting for a while, a window in which nothing may happen;
   * for phases whose length is derived from the declared timings.
   */
  lasting(ms: number, from = Date.now()): number {
    return this.budget.admit(from + ms);
  }

  /**
   * For stories whose verdict depends on one timer firing before another: if
   * a transition due `thresholdMs` after activity now could not be observed
   * within `withinMs` (because the target's first timer evaluation is still
   * ahead and would fire both together), waits until the target evaluates its
   * timers at the declared interval (`startedAt + firstCheckAfterMs`).
   * Otherwise resolves at once. A single wait for a computed instant, not a poll.
   *
   * Before waiting, the story's coming timer wait (`afterTimer` from when it
   * can start) is admitted against the budget, so a slow story is skipped
   * before it spends anything on the first check.
   */
  async timersRunningFor(thresholdMs: number, withinMs: number): Promise<void> {
    const now = Date.now();
    const firstCheck = this.timersSetBy + this.timings.firstCheckAfterMs;
    const waitForFirstCheck = this.timerDue(now, thresholdMs) > now + withinMs;
    this.afterTimer(waitForFirstCheck ? Math.max(now, firstCheck) : now, thresholdMs);
    if (waitForFirstCheck && remaining(firstCheck) > 0) await sleep(remaining(firstCheck), this.cancel);
  }

  /**
   * A deadline for something that crosses to the other server of a pair:
   * `deadline` (a local one: soon(), afterTimer()) plus one delivery of the
   * other server, its side of the hop (it sends what its user did, or
   * delivers to its user what this server sent).
   */
  overFederation(deadline: number): number {
    return this.budget.admit(deadline + (this.target.peer?.timings.deliveryMs ?? this.timings.deliveryMs));
  }

  /**
   * A client's own pause until `deadline` (an app in the background makes no
   * request): not a wait for the server, so no poll; cut short when the run
   * stops, as the story's waits are.
   */
  async pauseUntil(deadline: number): Promise<void> {
    await sleep(remaining(deadline), this.cancel);
  }

  /**
   * Deadline for a timer-driven transition `thresholdMs` after `lastActivityAt`,
   * allowing for the server's check interval and first check.
   */
  afterTimer(lastActivityAt: number, thresholdMs: number): number {
    return this.budget.admit(this.timerDue(lastActivityAt, thresholdMs));
  }

  private timerDue(lastActivityAt: number, thresholdMs: number): number {
    return timerDeadline(this.timings, this.timersSetBy, lastActivityAt, thresholdMs) + this.timings.deliveryMs + this.roundTripAllowance();
  }
}
