/**
 * The bench against one started (or reached) target: registers the largest
 * step's users once, then runs each step of the series (rooms, long-poll
 * clients, the measured phase, the drain) and returns what it measured. It
 * never starts or stops the target: the command owns that.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { HarnessError } from '../../errors.js';
import { registerUser } from '../../story/client/registration.js';
import { ROUND_TRIPS_PER_DELIVERY, typicalMs } from '../../story/client/round-trip.js';
import { sleep } from '../../story/clock.js';
import type { StartedTarget } from '../../targets/target.js';
import { serverNameOf } from '../../user-id.js';
import type { UserLedger } from '../../users/ledger.js';
import { inPool } from '../../runner/target-pool.js';
import type { LinkTraffic } from '../../federation/proxy.js';
import type { BenchStep, BenchTarget } from '../model.js';
import { CountingRecorder, HttpTransport, benchPool, firstSync, syncLoop, type BenchUser } from './bench-client.js';
import { DeliveryBook, marker, type PresenceEvent } from './deliveries.js';
import type { ServerMeter } from './server-meter.js';
import { Sharing, planActions, planRooms, type Action, type Rates, type RoomSize } from './workload.js';

export interface BenchTargetOptions {
  /** The --target it was reached by (a pair's name, not its first server's). */
  name: string;
  /** The step series, ascending. */
  users: readonly number[];
  roomSizes: readonly RoomSize[];
  stepMs: number;
  rates: Rates;
  seed: number;
  /** The bench's bounds: requests (over every step of this target) and the epoch ms by which it stops. */
  maxRequests: number;
  stopBy: number;
  /** Localparts are `<prefix>-b<i>`. */
  prefix: string;
  /** Every user registered is noted here, for the clean-up. */
  ledger: UserLedger;
  meter: ServerMeter;
  /** Aborts on an interrupt: the bench stops at the next opportunity. */
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Set-up requests (registrations, joins, first syncs) in flight at once. */
const SETUP_AT_ONCE = 8;
/** How often the server's cost is sampled during the measured phase. */
const SAMPLE_EVERY_MS = 1_000;
/** How often the drain looks whether every delivery has come. */
const DRAIN_POLL_MS = 200;
/** The drain waits for late deliveries up to this many deadlines after the last change. */
const DRAIN_DEADLINES = 2;

class BoundReached extends Error {}

export async function benchTarget(target: StartedTarget, options: BenchTargetOptions): Promise<BenchTarget> {
  const server = target.peer ? `${target.serverVersion} + ${target.peer.serverVersion}` : target.serverVersion;
  const result: BenchTarget = { target: options.name, server, steps: [] };
  const recorder = new CountingRecorder();
  const largest = Math.max(...options.users);
  const servers = [target, ...(target.peer ? [target.peer] : [])];
  const pools: Dispatcher[] = servers.map((server) => benchPool(server.baseUrl, largest));
  const transports = servers.map((server, i) => new HttpTransport(server.baseUrl, recorder, pools[i], options.signal));
  try {
    const users = await register(servers, transports, largest, options);
    const deadlineMs = await deliveryDeadline(target, users[0]!, options);
    options.log(`${largest} users registered; a delivery's deadline is ${deadlineMs} ms (declared delivery + slack + ${ROUND_TRIPS_PER_DELIVERY} round trips)`);
    const sharing = new Sharing();
    for (const [k, n] of options.users.entries()) {
      if (options.signal.aborted) break;
      if (Date.now() >= options.stopBy) {
        result.steps.push(emptyStep(n, deadlineMs, `not run: the bench's time bound (--max-seconds) was reached`));
        continue;
      }
      options.log(`step ${k + 1} of ${options.users.length}: ${n} users`);
      const step = await runStep(k, users.slice(0, n), sharing, deadlineMs, recorder, target, options);
      result.steps.push(step);
      options.log(stepLine(step));
      if (step.error?.includes('--max-requests')) break;
    }
  } catch (cause) {
    result.error = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  } finally {
    await Promise.all(pools.map((pool) => pool.close().catch(() => undefined)));
  }
  return result;
}

async function register(servers: ReadonlyArray<Pick<StartedTarget, 'baseUrl' | 'registration'>>, transports: HttpTransport[], count: number, options: BenchTargetOptions): Promise<BenchUser[]> {
  const made = await inPool(Array.from({ length: count }, (_, i) => i), SETUP_AT_ONCE, async (index) => {
    // A pair: users alternate between the two servers, so changes cross the link.
    const on = index % servers.length;
    const server = servers[on]!;
    const http = transports[on]!;
    const username = `${options.prefix}-b${index}`;
    const password = randomBytes(16).toString('hex');
    options.ledger.note({ kind: 'creating', baseUrl: server.baseUrl, username, password });
    const session = await registerUser(http, server.registration, username, password);
    options.ledger.note({ kind: 'created', baseUrl: server.baseUrl, username, userId: session.userId, accessToken: session.accessToken });
    return { index, session, http, serverName: serverNameOf(session.userId) } satisfies BenchUser;
  }, () => options.signal.aborted);
  if (options.signal.aborted) throw new HarnessError('interrupted while registering the users');
  return made as BenchUser[];
}

/** The declared delivery time plus slack, plus the round trips a delivery needs (as the suites allow: harness/story/client/round-trip.ts). */
async function deliveryDeadline(target: StartedTarget, user: BenchUser, options: BenchTargetOptions): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < 5 && !options.signal.aborted; i++) {
    const reply = await user.http.send({ method: 'GET', path: '/_matrix/client/v3/account/whoami', token: user.session.accessToken, actor: 'harness' });
    durations.push(reply.exchange.durationMs);
  }
  return target.timings.deliveryMs + target.timings.slackMs + ROUND_TRIPS_PER_DELIVERY * typicalMs(durations);
}

/** How often a room's creation is tried when the server answers 5xx. */
const CREATE_ROOM_ATTEMPTS = 3;

async function createRooms(rooms: readonly number[][], users: readonly BenchUser[], options: BenchTargetOptions): Promise<string[]> {
  const ids = await inPool(rooms, SETUP_AT_ONCE, async (members) => {
    const creator = users[members[0]!]!;
    // A 5xx is tried again, as a client would: tuwunel 1.4.6 sometimes
    // answers 500 "non-create event for room of unknown version" when many
    // rooms are created at once (docs/bench-evidence.md). A room a failed
    // attempt left behind holds its creator alone and is never used.
    for (let attempt = 1; ; attempt++) {
      const created = await creator.http.send<{ room_id?: string }>({
        method: 'POST', path: '/_matrix/client/v3/createRoom', token: creator.session.accessToken, actor: `user ${creator.index}`,
        body: { preset: 'public_chat', visibility: 'private' }, setup: 'once',
      });
      const roomId = created.body.room_id;
      if (created.status === 200 && typeof roomId === 'string') return roomId;
      if (created.status < 500 || attempt >= CREATE_ROOM_ATTEMPTS) throw new HarnessError(`createRoom answered ${created.status}: ${created.evidence}`);
      options.log(`createRoom answered ${created.status} (attempt ${attempt} of ${CREATE_ROOM_ATTEMPTS}), trying again: ${created.evidence}`);
    }
  }, () => options.signal.aborted);
  const joins = rooms.flatMap((members, r) => members.slice(1).map((m) => ({ user: users[m]!, roomId: ids[r]!, via: users[members[0]!]!.serverName })));
  await inPool(joins, SETUP_AT_ONCE, async ({ user, roomId, via }) => {
    const joined = await user.http.send({
      method: 'POST', path: `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, query: { server_name: via === user.serverName ? undefined : via },
      token: user.session.accessToken, actor: `user ${user.index}`, body: {}, setup: 'retry',
    });
    if (joined.status !== 200) throw new HarnessError(`join answered ${joined.status}: ${joined.evidence}`);
  }, () => options.signal.aborted);
  return ids as string[];
}

async function runStep(k: number, users: BenchUser[], sharing: Sharing, deadlineMs: number, recorder: CountingRecorder, target: StartedTarget, options: BenchTargetOptions): Promise<BenchStep> {
  const n = users.length;
  // From the seed and the step's size, not its place: a step of N users is the same workload in any series (the baseline's too).
  const stepSeed = options.seed + n;
  const rooms = planRooms(stepSeed, n, options.roomSizes);
  const roomIds = await createRooms(rooms, users, options);
  sharing.add(rooms.map((members) => members.map((m) => users[m]!.session.userId)));
  const book = new DeliveryBook(k, deadlineMs, (a, b) => sharing.shares(a, b));
  const stopSyncs = new AbortController();
  const stopAll = AbortSignal.any([stopSyncs.signal, options.signal]);
  setMaxListeners(0, stopSyncs.signal, stopAll);
  const failures = { syncs: 0 };
  const hear = (user: BenchUser) => (events: PresenceEvent[], at: number) => book.observe(user.session.userId, events, at);
  await inPool(users, SETUP_AT_ONCE, (user) => firstSync(user, stopAll, hear(user)), () => stopAll.aborted);
  const loops = users.map((user) => syncLoop(user, stopAll, hear(user), failures));

  const requests0 = recorder.requests;
  const limited0 = recorder.limited;
  const traffic0: LinkTraffic | undefined = target.federation?.traffic ? { ...target.federation.traffic } : undefined;
  await options.meter.start();
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  const sampler = setInterval(() => void options.meter.sample(), SAMPLE_EVERY_MS);
  let seq = 0;
  let lastChangeAt = started;
  let error: string | undefined;
  const overBound = () => recorder.requests - requests0 > options.maxRequests || Date.now() >= options.stopBy;
  const act = async (user: BenchUser, action: Action) => {
    if (overBound()) throw new BoundReached();
    if (action.kind === 'message') {
      await user.http.send({
        method: 'PUT', path: `/_matrix/client/v3/rooms/${encodeURIComponent(roomIds[action.room]!)}/send/m.room.message/b${k}.${user.index}.${action.atMs}`,
        token: user.session.accessToken, actor: `user ${user.index}`, body: { msgtype: 'm.text', body: `bench message ${action.atMs}` }, signal: stopAll,
      });
      return;
    }
    const change = ++seq;
    const subject = user.session.userId;
    const roommates = users.filter((other) => other !== user && sharing.shares(other.session.userId, subject)).map((other) => other.session.userId);
    const sentAt = Date.now();
    lastChangeAt = sentAt;
    // Expected before it is sent: a roommate's /sync may show it before the PUT's answer comes.
    book.expect(subject, change, sentAt, roommates);
    const reply = await user.http.send({
      method: 'PUT', path: `/_matrix/client/v3/presence/${encodeURIComponent(subject)}/status`, token: user.session.accessToken, actor: `user ${user.index}`,
      body: { presence: action.state, status_msg: marker(k, change) }, signal: stopAll,
    }).catch(() => undefined);
    if (reply?.status !== 200) book.cancel(subject, change);
    // After a 429 waited out, the exchange is the attempt the server took.
    else if (Date.parse(reply.exchange.startedAt) > sentAt) book.resent(subject, change, Date.parse(reply.exchange.startedAt));
  };
  try {
    await Promise.all(users.map(async (user) => {
      const mine = rooms.flatMap((members, r) => (members.includes(user.index) ? [r] : []));
      for (const action of planActions(stepSeed, user.index, mine, options.stepMs, options.rates)) {
        const wait = started + action.atMs - Date.now();
        if (wait > 0) await sleep(wait, stopAll);
        if (stopAll.aborted) return;
        await act(user, action).catch((cause: unknown) => {
          if (cause instanceof BoundReached) throw cause;
        });
      }
    }));
    // The drain: late deliveries still count, up to DRAIN_DEADLINES deadlines after the last change.
    while (book.outstanding > 0 && Date.now() < Math.min(lastChangeAt + DRAIN_DEADLINES * deadlineMs, options.stopBy) && !stopAll.aborted) await sleep(DRAIN_POLL_MS, stopAll);
  } catch (cause) {
    error = cause instanceof BoundReached
      ? `stopped early: the bench's bound was reached (--max-requests ${options.maxRequests} or --max-seconds)`
      : String(cause);
  }
  clearInterval(sampler);
  await options.meter.sample();
  const durationMs = Date.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cost = options.meter.cost();
  const traffic = target.federation?.traffic;
  stopSyncs.abort();
  await Promise.all(loops);
  if (options.signal.aborted) error ??= 'interrupted';
  const summary = book.summary();
  return {
    users: n,
    rooms: rooms.length,
    presenceChanges: summary.presenceChanges,
    latency: summary.latency,
    missing: summary.missing,
    late: summary.late,
    superseded: summary.superseded,
    deadlineMs,
    unsharedPairs: unshared(users, sharing),
    leaks: summary.leaks,
    leakCount: summary.leakCount,
    requests: recorder.requests - requests0,
    rateLimited: recorder.limited - limited0,
    failedSyncs: failures.syncs,
    serverCpuSeconds: cost.cpuSeconds,
    serverPeakRssMiB: cost.peakRssMiB,
    harnessCpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    ...(traffic && traffic0 ? { link: { edusPerSecond: round((traffic.edus - traffic0.edus) / (durationMs / 1000)), bytesPerSecond: Math.round((traffic.bytes - traffic0.bytes) / (durationMs / 1000)) } } : {}),
    durationMs,
    ...(error ? { error } : {}),
  };
}

function emptyStep(users: number, deadlineMs: number, error: string): BenchStep {
  return {
    users, rooms: 0, presenceChanges: 0, latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }, missing: 0, late: 0, superseded: 0, deadlineMs,
    unsharedPairs: 0, leaks: [], leakCount: 0, requests: 0, rateLimited: 0, failedSyncs: 0, serverCpuSeconds: null, serverPeakRssMiB: null, harnessCpuSeconds: 0, durationMs: 0, error,
  };
}

export function stepLine(step: BenchStep): string {
  const l = step.latency;
  return `  ${step.users} users, ${step.rooms} rooms: ${step.presenceChanges} changes, ${l.count} deliveries p50 ${l.p50} / p95 ${l.p95} / p99 ${l.p99} / max ${l.max} ms; ` +
    `missing ${step.missing}, late ${step.late}, leaks ${step.leakCount}; server CPU ${step.serverCpuSeconds ?? '-'} s, peak RSS ${step.serverPeakRssMiB ?? '-'} MiB; ` +
    `harness CPU ${step.harnessCpuSeconds} s; ${step.requests} requests (${step.rateLimited} rate-limited)${step.error ? `; ${step.error}` : ''}`;
}

function unshared(users: readonly BenchUser[], sharing: Sharing): number {
  let pairs = 0;
  for (const a of users) for (const b of users) if (a !== b && !sharing.shares(a.session.userId, b.session.userId)) pairs++;
  return pairs;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
