import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../results/model.js';
import { freePort } from '../targets/managed-process.js';
import { startSynapse } from '../targets/synapse/start.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import type { StartedServer } from '../targets/definition.js';
import { lastLine, runCli, timingFlagsOf } from '../testing/run-cli.js';
import { startTlsFront, writeTestCaFiles, type TlsFront } from '../testing/tls-front.js';
import type { KeyPair } from '../tls/test-ca.js';

// Written by `run --only PRES-FFC` against the embedded Synapse (harness/reports/results-schema.test.ts reads it too).
const FFC = new URL('../../fixtures/results/synapse-ffc/results.json', import.meta.url);

const verdicts = (r: Results) => Object.fromEntries(r.requirements.map((q) => [q.id, q.verdict]));

// A homeserver as deployed behind TLS: an embedded Synapse with a
// TLS-terminating front on 127.0.0.1 whose certificate a CA made for the test
// signed, and which serves the client discovery naming itself.
describe('presence-conformance run --target url over https', () => {
  let dir: string;
  let caFile: string;
  let otherCaFile: string;
  let cert: KeyPair;
  const fronts: TlsFront[] = [];
  let server: StartedServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-cli-tls-'));
    ({ caFile, otherCaFile, cert } = await writeTestCaFiles(dir));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(fronts.map((f) => f.close()));
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const front = async (routes: Record<string, [number, string]>, upstream?: string) => {
    const f = await startTlsFront(cert, routes, upstream);
    fronts.push(f);
    return f;
  };

  it('exits 2 within 10 s with one line for a wrong --ca-file, an unreachable or incomplete .well-known', { timeout: 90_000 }, async () => {
    const homeserver = await front({ '/_matrix/client/versions': [200, '{"versions":["v1.11"]}'] });
    const incomplete = await front({ '/.well-known/matrix/client': [200, '{"m.identity_server":{"base_url":"https://127.0.0.1:9"}}'] });
    const notPem = path.join(dir, 'not.pem');
    await writeFile(notPem, 'not a certificate\n');
    const nobody = `127.0.0.1:${await freePort()}`;
    const cases: Array<[string, string[], RegExp]> = [
      ['missing', ['--base-url', homeserver.url, '--ca-file', path.join(dir, 'missing.pem')], /^presence-conformance: --ca-file \S+missing\.pem: cannot read it \(ENOENT\)$/],
      ['not-pem', ['--base-url', homeserver.url, '--ca-file', notPem], /^presence-conformance: --ca-file \S+not\.pem holds no PEM certificate/],
      ['other-ca', ['--base-url', homeserver.url, '--ca-file', otherCaFile], /^presence-conformance: https:\/\/127\.0\.0\.1:\d+: its TLS certificate is not trusted \(.*\); the CA in --ca-file \S+other\.pem does not verify it$/],
      ['unreachable', ['--server-name', nobody, '--ca-file', caFile], /^presence-conformance: could not discover the base URL of 127\.0\.0\.1:\d+: https:\/\/127\.0\.0\.1:\d+\/\.well-known\/matrix\/client: unreachable: connection refused \(or pass --base-url\)$/],
      ['no-base-url', ['--server-name', incomplete.host, '--ca-file', caFile], /^presence-conformance: could not discover the base URL of 127\.0\.0\.1:\d+: .* has no m\.homeserver\.base_url \(or pass --base-url\)$/],
    ];
    // One at a time, so each run's own time is measured, not its neighbours' on a loaded machine.
    for (const [name, flags, line] of cases) {
      const run = await runCli(['run', '--target', 'url', ...flags, '--open-registration', '--report-dir', `reports/tmp/e2e-tls-${name}`]);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.durationMs, name).toBeLessThan(10_000);
      expect(lastLine(run.stderr), name).toMatch(line);
    }
  });

  it('runs PRES-FFC through https and the discovered base URL, with the embedded run\'s verdicts', { timeout: 240_000 }, async () => {
    const work = path.join(dir, 'synapse');
    server = await startSynapse({ workDir: work, logFile: path.join(dir, 'homeserver.log'), owner: dir, progress: () => undefined });
    if (server.registration.kind !== 'shared-secret') throw new Error('embedded Synapse uses shared-secret registration');
    // The front serves its own client discovery, naming itself: --server-name is all the CLI gets.
    const routes: Record<string, [number, string]> = {};
    const tls = await front(routes, server.baseUrl);
    routes['/.well-known/matrix/client'] = [200, JSON.stringify({ 'm.homeserver': { base_url: tls.url } })];
    const t = SYNAPSE_TIMINGS;
    const reportDir = path.resolve('reports/tmp/e2e-tls-run');
    const run = await runCli(
      ['run', '--target', 'url', '--server-name', tls.host, '--ca-file', caFile, '--only', 'PRES-FFC', '--report-dir', reportDir,
        ...timingFlagsOf(t)],
      { env: { PRESENCE_REGISTRATION_SECRET: server.registration.secret } },
    );
    const results = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as Results;
    const embedded = JSON.parse(await readFile(FFC, 'utf8')) as Results;
    expect(results.target).toMatchObject({ kind: 'url', baseUrl: tls.url, serverVersion: 'Synapse 1.163.2' });
    expect(verdicts(results), run.stderr).toEqual(verdicts(embedded));
    // Synapse fails PRES-FFC-ERRCODE, a SHOULD (reports/expectations/synapse.json): the MUST gate passes.
    expect(run.code, run.stderr).toBe(0);
  });
});
