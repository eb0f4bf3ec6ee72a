import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

// Bad targets must end quickly with one clear line and exit code 2.
describe('presence-conformance run against a bad target', () => {
  const servers: Array<net.Server> = [];
  let htmlUrl = '';
  let silentUrl = '';

  beforeAll(async () => {
    const html = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    // Accepts connections and never answers: a hung or firewalled server.
    const silent = net.createServer(() => undefined);
    for (const server of [html, silent]) {
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    }
    htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => servers.forEach((s) => s.close()));

  it('exits 2 within 10 s when nothing listens at --base-url', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['run', '--target', 'url', '--base-url', url, '--open-registration', '--report-dir', 'reports/tmp/e2e-unreachable']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(lastLine(run.stderr)).toMatch(/^presence-conformance: http:\/\/127\.0\.0\.1:\d+ is unreachable: connection refused$/);
  });

  it('exits 2 within 10 s when the server accepts but never answers', async () => {
    const run = await runCli(['run', '--target', 'url', '--base-url', silentUrl, '--open-registration', '--report-dir', 'reports/tmp/e2e-silent']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(lastLine(run.stderr)).toMatch(/is unreachable/);
  });

  it('exits 2 when the server is not a Matrix homeserver', async () => {
    const run = await runCli(['run', '--target', 'url', '--base-url', htmlUrl, '--open-registration', '--report-dir', 'reports/tmp/e2e-html']);
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/is not a Matrix homeserver/);
  });

  it('exits 2 naming what to install when Python is too old for Synapse', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pc-oldpython-'));
    const fake = path.join(dir, 'python3');
    await writeFile(fake, '#!/bin/sh\necho 3.8\n', { mode: 0o755 });
    const run = await runCli(['run', '--report-dir', 'reports/tmp/e2e-oldpython'], { env: { PRESENCE_CONFORMANCE_PYTHON: fake } });
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/needs Python >= 3\.10, found 3\.8 .*install a newer python3/);
  });

  it('exits 2 naming what to install when there is no Python at all', async () => {
    const run = await runCli(['run', '--report-dir', 'reports/tmp/e2e-nopython'], { env: { PRESENCE_CONFORMANCE_PYTHON: '/nonexistent/python3' } });
    expect(run.code, run.stderr).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/needs Python >= 3\.10.*apt-get install python3 python3-venv/);
  });

  it('exits 2 on a bad flag, naming it', async () => {
    const run = await runCli(['run', '--idle-timeout', 'soon', '--target', 'url', '--base-url', htmlUrl, '--open-registration']);
    expect(run.code).toBe(2);
    expect(lastLine(run.stderr)).toBe('presence-conformance: --idle-timeout needs a positive whole number of milliseconds, got "soon"');
  });
});
