import { describe, expect, it } from 'vitest';
import { HttpTransport } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import { registerUser } from '../story/client/registration.js';
import type { StartedTarget } from '../targets/target.js';
import { ECHO_SERVER, baselineOf, measureBaseline } from './baseline.js';
import type { BenchStep, BenchTarget } from './model.js';

const step = (users: number, count: number, p50: number, harnessCpuSeconds: number): BenchStep => ({
  users, rooms: 1, presenceChanges: count, latency: { count, p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 }, missing: 0, late: 0, superseded: 0, unsharedPairs: 0, leakCount: 0, failedSyncs: 0, deadlineMs: 5000,
  leaks: [], requests: 10, rateLimited: 0, serverCpuSeconds: null, serverPeakRssMiB: null, harnessCpuSeconds, durationMs: 1000,
});
const measured = (steps: BenchStep[], error?: string): BenchTarget => ({ target: 'url', server: ECHO_SERVER, steps, ...(error ? { error } : {}) });

async function refused(url: string): Promise<boolean> {
  return fetch(`${url}/_matrix/client/versions`).then(() => false, () => true);
}

describe('the baseline', () => {
  it('is the largest step that delivered anything: the harness at its busiest', () => {
    expect(baselineOf(measured([step(10, 40, 2, 0.1), step(50, 200, 3, 0.4), step(100, 0, 0, 0)]))).toEqual({
      users: 50, latency: { count: 200, p50: 3, p95: 6, p99: 9, max: 12 }, harnessCpuSeconds: 0.4,
    });
  });

  it('refuses to be a baseline of nothing, and says why', () => {
    expect(() => baselineOf(measured([step(10, 0, 0, 0)], 'join answered 500'))).toThrow('the loopback baseline measured nothing: join answered 500');
    expect(() => baselineOf(measured([]))).toThrow('no delivery was measured');
  });

  it('drives the bench against an echo server in its own process on loopback, and stops it after', async () => {
    let seen: StartedTarget | undefined;
    let answered = 0;
    const baseline = await measureBaseline(async (target) => {
      seen = target;
      // The harness's own registration, as the bench registers its users.
      const session = await registerUser(new HttpTransport(target.baseUrl, new Recorder()), target.registration, 'b0', 'pw-b0');
      expect(session.userId).toBe('@b0:echo.localhost');
      answered = Number((await fetch(`${target.baseUrl}/_matrix/client/versions`)).ok);
      return measured([step(10, 40, 2, 0.1)]);
    });
    expect(baseline.latency.p50).toBe(2);
    expect(seen!.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(seen!.registration).toEqual({ kind: 'open' });
    expect(seen!.serverVersion).toBe(ECHO_SERVER);
    expect(answered).toBe(1);
    expect(await refused(seen!.baseUrl)).toBe(true);
  }, 60_000);

  it('passes on what the echo server did not answer', async () => {
    const lines: string[] = [];
    await measureBaseline(async (target) => {
      const session = await registerUser(new HttpTransport(target.baseUrl, new Recorder()), target.registration, 'b0', 'pw-b0');
      const headers = { authorization: `Bearer ${session.accessToken}` };
      for (const room of ['!r1:echo.localhost', '!r2:echo.localhost']) {
        await fetch(`${target.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(room)}/typing/${encodeURIComponent(session.userId)}`, { method: 'PUT', headers });
      }
      return measured([step(10, 40, 2, 0.1)]);
    }, (line) => lines.push(line));
    expect(lines).toEqual(['loopback echo server: unrecognised: PUT /_matrix/client/v3/rooms/{id}/typing/{id}']);
  }, 60_000);

  it('stops the echo server when the bench against it fails', async () => {
    let url = '';
    await expect(measureBaseline(async (target) => {
      url = target.baseUrl;
      throw new Error('engine broke');
    })).rejects.toThrow('engine broke');
    expect(await refused(url)).toBe(true);
  }, 60_000);
});
