import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { FederationLink, TransactionRoute, TransactionTamper } from '../../federation/proxy.js';
import type { Edu } from '../../story/federation/transaction.js';
import type { Mutant } from '../mutant.js';
import { FaultProxy } from '../proxy.js';
import { FakeUpstream, miniHomeserver } from '../../testing/fake-upstream.js';
import { fedEduForeignUserTaken, fedEduFreeForChat, fedEduIgnored, fedEduNeverSent, fedEduToNonSharers, fedEduWithoutLastActive, fedGetLeaksRemote } from './federation.js';

const HERE = 'hs';
const THERE = '127.0.0.1:9999';

/** A stand-in for the pair's link: keeps the tampers registered and what was sent through it. */
class FakeLink implements FederationLink {
  readonly names = [HERE, THERE] as const;
  readonly tampers = new Set<TransactionTamper>();
  readonly sent: Array<{ from: string; to: string; edus: Edu[] }> = [];

  tamper(tamper: TransactionTamper): () => void {
    this.tampers.add(tamper);
    return () => void this.tampers.delete(tamper);
  }

  async send(from: string, to: string, edus: Edu[]): Promise<number> {
    this.sent.push({ from, to, edus });
    return 200;
  }

  /** What the tampers make of `edus` on `route` at `stage`: the EDUs that go on. */
  async pass(stage: keyof TransactionTamper, route: Omit<TransactionRoute, 'injected'>, edus: Edu[]): Promise<Edu[]> {
    let current = edus;
    for (const tamper of this.tampers) current = (await tamper[stage]?.({ ...route, injected: false }, current)) ?? current;
    return current;
  }
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A mini homeserver (`hs`) behind a proxy with `mutant` and a fake link; users `pcx-<name>` registered through it. */
async function pair(mutant: Mutant, users: string[]) {
  const hs = miniHomeserver();
  const upstream = await new FakeUpstream(hs.handler).start();
  stops.push(() => upstream.stop());
  const link = new FakeLink();
  const proxy = await new FaultProxy({ upstream: upstream.url, behaviour: mutant.create(), federation: link }).start();
  stops.push(() => proxy.stop());
  for (const name of users) {
    await request(new URL('/_synapse/admin/v1/register', proxy.url), { method: 'POST', body: JSON.stringify({ username: `pcx-${name}` }), headers: { 'content-type': 'application/json' } }).then((r) => r.body.text());
  }
  const put = (name: string, body: unknown) =>
    request(new URL(`/_matrix/client/v3/presence/${encodeURIComponent(`@pcx-${name}:hs`)}/status`, proxy.url), { method: 'PUT', headers: { authorization: `Bearer token-pcx-${name}` }, body: JSON.stringify(body) }).then((r) => r.body.text());
  const get = (name: string) =>
    request(new URL(`/_matrix/client/v3/presence/${encodeURIComponent(`@pcx-${name}:hs`)}/status`, proxy.url), { headers: { authorization: `Bearer token-pcx-${name}` } }).then((r) => r.body.json() as Promise<Record<string, unknown>>);
  return { link, proxy, upstream, put, get };
}

const presenceEdu = (...push: Array<Record<string, unknown>>): Edu => ({ edu_type: 'm.presence', content: { push } });
const outbound = { origin: HERE, destination: THERE };
const inbound = { origin: THERE, destination: HERE };

describe('federation mutants on the link', () => {
  it('touch only push items about users of their own run, and leave the link when their proxy stops', async () => {
    const { link, proxy } = await pair(fedEduFreeForChat, ['alice']);
    const edus = [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online' }, { user_id: '@pcy-other:hs', presence: 'online' }), { edu_type: 'm.typing', content: {} }];

    expect(await link.pass('sent', outbound, edus)).toEqual([presenceEdu({ user_id: '@pcx-alice:hs', presence: 'free_for_chat' }, { user_id: '@pcy-other:hs', presence: 'online' }), { edu_type: 'm.typing', content: {} }]);
    expect(await link.pass('delivered', inbound, edus)).toBe(edus);
    expect(proxy.injected).toEqual({ 'online sent as free_for_chat': 1 });
    await proxy.stop();
    expect(link.tampers.size).toBe(0);
  });

  it('fed-edu-never-sent drops outgoing items about the run\'s users, and an EDU left empty', async () => {
    const { link } = await pair(fedEduNeverSent, ['alice']);

    expect(await link.pass('sent', outbound, [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online' })])).toEqual([]);
    expect(await link.pass('sent', outbound, [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online' }, { user_id: '@pcz-bob:hs', presence: 'online' })])).toEqual([presenceEdu({ user_id: '@pcz-bob:hs', presence: 'online' })]);
    const incoming = [presenceEdu({ user_id: `@pcx-carol:${THERE}`, presence: 'online' })];
    expect(await link.pass('delivered', inbound, incoming)).toBe(incoming);
  });

  it('fed-edu-ignored drops incoming items about the run\'s users on the other server', async () => {
    const { link } = await pair(fedEduIgnored, ['alice']);

    expect(await link.pass('delivered', inbound, [presenceEdu({ user_id: `@pcx-carol:${THERE}`, presence: 'online' })])).toEqual([]);
    const out = [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online' })];
    expect(await link.pass('sent', outbound, out)).toBe(out);
  });

  it('fed-edu-without-last-active leaves last_active_ago out of outgoing items only', async () => {
    const { link } = await pair(fedEduWithoutLastActive, ['alice']);

    expect(await link.pass('sent', outbound, [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online', last_active_ago: 5 })])).toEqual([presenceEdu({ user_id: '@pcx-alice:hs', presence: 'online' })]);
    const incoming = [presenceEdu({ user_id: `@pcx-carol:${THERE}`, presence: 'online', last_active_ago: 5 })];
    expect(await link.pass('delivered', inbound, incoming)).toBe(incoming);
  });

  it('fed-get-leaks-remote answers a refused GET about a remote user with 200, and leaves local users refused', async () => {
    const { upstream, proxy } = await pair(fedGetLeaksRemote, ['carol']);
    const get = (subject: string) =>
      request(new URL(`/_matrix/client/v3/presence/${encodeURIComponent(subject)}/status`, proxy.url), { headers: { authorization: 'Bearer token-pcx-carol' } }).then(async (r) => ({ status: r.statusCode, body: await r.body.json() }));

    expect(await get(`@pcx-alice:${THERE}`)).toMatchObject({ status: 200, body: { presence: 'online' } });
    expect((await get('@pcx-dave:hs')).status).toBe(403);
    expect(upstream.received.length).toBeGreaterThan(0);
  });

  it('fed-edu-to-non-sharers sends every presence change of a local user to the other server', async () => {
    const { link, put, proxy } = await pair(fedEduToNonSharers, ['alice']);

    await put('alice', { presence: 'unavailable', status_msg: 'away' });
    await put('alice', { presence: 'free_for_chat' });
    await expect.poll(() => link.sent.length).toBe(1);

    expect(link.sent[0]).toEqual({ from: HERE, to: THERE, edus: [presenceEdu({ user_id: '@pcx-alice:hs', presence: 'unavailable', status_msg: 'away', last_active_ago: 0, currently_active: false })] });
    expect(proxy.injected).toEqual({ 'presence EDU sent to the other server regardless of rooms': 1 });
  });

  it('fed-edu-foreign-user-taken applies an incoming EDU about a local user to that user, and passes the others on', async () => {
    const { link, get } = await pair(fedEduForeignUserTaken, ['dave']);
    const genuine = [presenceEdu({ user_id: `@pcx-alice:${THERE}`, presence: 'unavailable' })];

    expect(await link.pass('delivered', inbound, genuine)).toBe(genuine);
    expect(await link.pass('delivered', inbound, [presenceEdu({ user_id: '@pcx-dave:hs', presence: 'unavailable', status_msg: 'spoofed' })])).toEqual([]);
    expect(await get('dave')).toMatchObject({ presence: 'unavailable', status_msg: 'spoofed' });
  });
});
