/**
 * A by-hand check of one delivery (not part of the suite or the bench): on
 * a fresh embedded target, B long-polls /sync (timeout 30 s) while A, B's
 * roommate, changes presence 2 s later; prints when B's long-poll returns
 * and what it holds, and whether C (sharing no room with A) saw A. Run:
 *   npx tsx harness/bench/engine/hand-check.ts <target> <report-dir>
 * It explains a bench figure by hand (a server whose long-poll is not woken
 * by a presence change shows latencies up to the poll's timeout).
 */
import { randomBytes } from 'node:crypto';
import { TargetOwnership } from '../../runner/start-target.js';
import { HttpTransport, closePools } from '../../story/client/http.js';
import { Recorder } from '../../story/client/recorder.js';
import { registerUser } from '../../story/client/registration.js';
import { targetKind } from '../../targets/registry.js';

const [kindName = 'synapse', reportDir = '/tmp/presence-hand-check'] = process.argv.slice(2);
const owned = new TargetOwnership();
const t0 = Date.now();
const at = () => `+${((Date.now() - t0) / 1000).toFixed(3)} s`;
try {
  const target = await owned.start({ target: targetKind(kindName), reportDir, log: (line) => console.log(line), binaries: process.env.PRESENCE_TUWUNEL_BINARY ? { tuwunel: process.env.PRESENCE_TUWUNEL_BINARY } : {} });
  const http = new HttpTransport(target.baseUrl, new Recorder());
  const user = (name: string) => registerUser(http, target.registration, `hand${Date.now().toString(36)}${name}`, randomBytes(8).toString('hex'));
  const [a, b, c] = [await user('a'), await user('b'), await user('c')];
  const room = await http.send<{ room_id: string }>({ method: 'POST', path: '/_matrix/client/v3/createRoom', token: a.accessToken, body: { preset: 'public_chat' }, actor: 'a' });
  await http.send({ method: 'POST', path: `/_matrix/client/v3/join/${encodeURIComponent(room.body.room_id)}`, token: b.accessToken, body: {}, actor: 'b' });
  const since = async (token: string) => (await http.send<{ next_batch: string }>({ method: 'GET', path: '/_matrix/client/v3/sync', query: { timeout: 0 }, token, actor: 'x' })).body.next_batch;
  const [sinceB, sinceC] = [await since(b.accessToken), await since(c.accessToken)];
  const t1 = Date.now();
  console.log(`${at()} B and C long-poll /sync?since=...&timeout=30000`);
  type Sync = { next_batch: string; presence?: { events?: unknown[] } };
  const poll = async (token: string, from: string, who: string) => {
    const r = await http.send<Sync>({ method: 'GET', path: '/_matrix/client/v3/sync', query: { since: from, timeout: 30_000 }, token, actor: who, timeoutMs: 60_000 });
    console.log(`${at()} ${who}'s long-poll returned after ${Date.now() - t1} ms: ${r.status} presence.events ${JSON.stringify(r.body.presence?.events ?? [])}`);
    const next = await http.send<Sync>({ method: 'GET', path: '/_matrix/client/v3/sync', query: { since: r.body.next_batch, timeout: 0 }, token, actor: who });
    console.log(`${at()} ${who}'s next /sync?timeout=0: ${next.status} presence.events ${JSON.stringify(next.body.presence?.events ?? [])}`);
  };
  const polls = [poll(b.accessToken, sinceB, 'B (roommate)'), poll(c.accessToken, sinceC, 'C (shares no room)')];
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const put = await http.send({ method: 'PUT', path: `/_matrix/client/v3/presence/${encodeURIComponent(a.userId)}/status`, token: a.accessToken, body: { presence: 'unavailable', status_msg: 'hand check' }, actor: 'a' });
  console.log(`${at()} A PUT /presence/{A}/status {"presence":"unavailable","status_msg":"hand check"} -> ${put.status}`);
  await Promise.all(polls);
} finally {
  await owned.release();
  await closePools();
}
