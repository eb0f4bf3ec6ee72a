import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import { registerUser } from '../story/client/registration.js';
import type { Results } from '../results/model.js';
import { TEST_SECRETS_FILE_ENV } from '../redact.js';
import { resultsSchemaErrors } from '../reports/results-schema.js';
import { startSynapse } from '../targets/synapse/start.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import type { StartedServer } from '../targets/definition.js';
import { runCli, timingFlagsOf } from '../testing/run-cli.js';
import { runPrefixOf } from '../user-id.js';

// Requirements whose stories make rooms (shared rooms, a public room) and second devices.
const ONLY = 'PRES-VIS-SHARED,PRES-FFC';

/** One request to the test's Synapse; the body parsed. */
async function call<T>(baseUrl: string, method: 'GET' | 'POST', urlPath: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await request(new URL(urlPath, baseUrl), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : {}) as T };
}

interface AdminUser {
  name: string;
  deactivated: boolean;
}

// A Synapse the test starts itself stands for an operator's server reached by
// URL; the test sees it as its admin (made by shared-secret registration,
// unknown to the runs) and learns the runs' tokens from the test-only
// secrets file (harness/redact.ts), as the redaction test does.
describe('presence-conformance run --target url leaves the server as found', () => {
  let server: StartedServer;
  let workDir: string;
  let admin: string;
  /** Run prefixes already accounted for by an earlier test. */
  const seen = new Set<string>();

  const flags = () => {
    const t = SYNAPSE_TIMINGS;
    return ['--target', 'url', '--base-url', server.baseUrl,
      ...timingFlagsOf(t)];
  };
  const secret = () => (server.registration.kind === 'shared-secret' ? server.registration.secret : '');
  const env = (secretsFile: string) => ({ PRESENCE_REGISTRATION_SECRET: secret(), [TEST_SECRETS_FILE_ENV]: secretsFile });

  /** The accounts of the one run not seen before (every test user's localpart starts with its run's prefix). */
  async function newRunUsers(): Promise<AdminUser[]> {
    const listed = await call<{ users: AdminUser[] }>(server.baseUrl, 'GET', '/_synapse/admin/v2/users?limit=1000&deactivated=true&guests=false', admin);
    expect(listed.status).toBe(200);
    const prefixes = new Set(listed.body.users.map((u) => runPrefixOf(u.name)).filter((p) => p.startsWith('pc') && !seen.has(p)));
    expect([...prefixes], 'one new run prefix').toHaveLength(1);
    const [prefix] = prefixes;
    seen.add(prefix!);
    return listed.body.users.filter((u) => runPrefixOf(u.name) === prefix);
  }

  /** Test users (of any run) joined to any room of the server, as its admin sees them. */
  async function joinedTestUsers(): Promise<string[]> {
    const rooms = await call<{ rooms: { room_id: string }[] }>(server.baseUrl, 'GET', '/_synapse/admin/v1/rooms?limit=1000', admin);
    expect(rooms.status).toBe(200);
    const joined: string[] = [];
    for (const room of rooms.body.rooms) {
      const members = await call<{ members: string[] }>(server.baseUrl, 'GET', `/_synapse/admin/v1/rooms/${encodeURIComponent(room.room_id)}/members`, admin);
      joined.push(...members.body.members.filter((m) => runPrefixOf(m).startsWith('pc')));
    }
    return joined;
  }

  /** How many of the run's secrets (its passwords, every access token) still authenticate a request. */
  async function workingTokens(secretsFile: string): Promise<number> {
    const secrets = (await readFile(secretsFile, 'utf8')).split('\n').filter(Boolean);
    expect(secrets.length).toBeGreaterThan(5);
    let working = 0;
    for (const token of new Set(secrets)) {
      const whoami = await call(server.baseUrl, 'GET', '/_matrix/client/v3/account/whoami', token);
      expect([200, 401], `whoami answered ${whoami.status}`).toContain(whoami.status);
      if (whoami.status === 200) working++;
    }
    return working;
  }

  /**
   * Every account the server holds for the newest run, the ledger counted,
   * and each is deactivated, in no room, and none of its secrets works; returns them.
   */
  async function expectEveryUserRemoved(written: Results, secretsFile: string): Promise<AdminUser[]> {
    const users = await newRunUsers();
    expect(users.length).toBeGreaterThan(10);
    expect(written.users).toMatchObject({ made: users.length, deactivated: users.length, failed: 0 });
    expect(users.filter((u) => !u.deactivated).map((u) => u.name)).toEqual([]);
    expect(await joinedTestUsers()).toEqual([]);
    expect(await workingTokens(secretsFile)).toBe(0);
    return users;
  }

  const results = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pc-users-cleanup-'));
    server = await startSynapse({ workDir, logFile: path.join(workDir, 'homeserver.log'), owner: workDir, progress: () => undefined });
    // The test's own admin, by shared-secret registration (unknown to the runs: not of their prefix).
    const made = await registerUser(new HttpTransport(server.baseUrl, new Recorder()), server.registration, `admin${randomBytes(3).toString('hex')}`, randomBytes(16).toString('hex'), { admin: true });
    admin = made.accessToken;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('deactivates every user it registered after each left its rooms, and says so', { timeout: 300_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-users-cleanup');
    const secretsFile = path.join(workDir, 'secrets-cleanup');
    const run = await runCli(['run', ...flags(), '--only', ONLY, '--report-dir', dir], { env: env(secretsFile) });

    expect([0, 1], run.stderr).toContain(run.code);
    const written = await results(dir);
    expect(resultsSchemaErrors(written)).toEqual([]);
    const users = await expectEveryUserRemoved(written, secretsFile);
    expect(run.stderr).toMatch(new RegExp(`users: ${users.length} test users made, ${users.length} deactivated after leaving their rooms`));
    expect(await readFile(path.join(dir, 'summary.md'), 'utf8')).toContain(`**Test users:** ${users.length} test users made, ${users.length} deactivated`);
    console.log(`clean-up of ${users.length} users: ${written.users?.durationMs} ms`);
  });

  it('on Ctrl-C mid-run still deactivates every user it registered, promptly', { timeout: 300_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-users-cleanup-sigint');
    const secretsFile = path.join(workDir, 'secrets-sigint');
    let scheduled = false;
    let sentAt = 0;
    const run = await runCli(['run', ...flags(), '--report-dir', dir], {
      env: env(secretsFile),
      onStderr: (text, pid) => {
        // Mid-run: the suites have registered their users and are waiting on the server's timers.
        if (scheduled || !/target Synapse/.test(text)) return;
        scheduled = true;
        setTimeout(() => {
          sentAt = Date.now();
          process.kill(pid, 'SIGINT');
        }, 15_000);
      },
    });

    expect(run.code, run.stderr).toBe(130);
    // The stories end at once (their requests are aborted; measured: the CLI exits ~10 s after
    // SIGINT, clean-up included); the clean-up may take 60 s.
    const stoppedMs = Date.now() - sentAt;
    expect(stoppedMs, 'stopped within the interrupted clean-up budget').toBeLessThan(90_000);
    expect(run.stderr).toContain('(up to 60 s; Ctrl-C again leaves them)');
    const written = await results(dir);
    expect(written.interrupted).toBe('SIGINT');
    const users = await expectEveryUserRemoved(written, secretsFile);
    console.log(`Ctrl-C: clean-up of ${users.length} users took ${written.users?.durationMs} ms; the CLI exited ${stoppedMs} ms after SIGINT`);
  });

  it('with --keep-users leaves them, active and in their rooms, and says so', { timeout: 300_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-users-kept');
    const secretsFile = path.join(workDir, 'secrets-kept');
    const run = await runCli(['run', ...flags(), '--only', ONLY, '--keep-users', '--report-dir', dir], { env: env(secretsFile) });

    expect([0, 1], run.stderr).toContain(run.code);
    const written = await results(dir);
    const users = await newRunUsers();
    expect(written.users).toEqual({ made: users.length, deactivated: 0, failed: 0, skipped: 'kept' });
    expect(users.filter((u) => u.deactivated)).toEqual([]);
    expect((await joinedTestUsers()).length).toBeGreaterThan(0);
    // Each user keeps at least the token of its registration.
    expect(await workingTokens(secretsFile)).toBeGreaterThanOrEqual(users.length);
    expect(run.stderr).toContain(`users: ${users.length} test users made, kept on the server (--keep-users)`);
  });
});
