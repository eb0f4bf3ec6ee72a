import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess, shimPython } from '../targets/managed-process.js';
import type { StartedTarget } from '../targets/target.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { watchTarget, type TargetLoss } from './target-watch.js';

const FAST = { PROBE_EVERY_MS: 50, PROBE_TIMEOUT_MS: 500, LOST_AFTER_PROBES: 3, LOST_AFTER_MS: 300 };

function target(baseUrl: string, logFile?: string): StartedTarget {
  return { kind: 'url', baseUrl, serverVersion: 'Test 1.0', registration: { kind: 'open' }, timings: SYNAPSE_TIMINGS, startedAt: Date.now(), logFile, stop: async () => undefined };
}

/** A /versions endpoint whose answers the test switches off and on. */
async function versionsServer(): Promise<{ url: string; answering: { on: boolean }; answeredAt: number[]; close: () => Promise<void> }> {
  const answering = { on: true };
  const answeredAt: number[] = [];
  const server = http.createServer((_, res) => {
    if (!answering.on) return res.destroy();
    answeredAt.push(Date.now());
    res.setHeader('content-type', 'application/json');
    res.end('{"versions":["v1.11"]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, answering, answeredAt, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('watchTarget, external target', () => {
  it('declares a server lost only after several failed probes over LOST_AFTER_MS, naming when and why', async () => {
    const server = await versionsServer();
    const losses: TargetLoss[] = [];
    const runStartedAt = Date.now();
    const watch = watchTarget({ target: target(server.url), runStartedAt, onLost: (loss) => losses.push(loss), watchdog: FAST });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const down = Date.now();
    server.answering.on = false;
    await watch.settle();
    watch.stop();
    await server.close();
    expect(losses).toHaveLength(1);
    expect(Date.now() - down).toBeGreaterThanOrEqual(FAST.LOST_AFTER_MS);
    expect(losses[0]!.line).toMatch(/^Test 1\.0 at http:\/\/127\.0\.0\.1:\d+ stopped answering \d+\.\d s into the run: \d+ probes of \/_matrix\/client\/versions in a row failed over \d+ s \(last: .+\)$/);
    // Results since its last answer are not trusted: \`since\` is when the
    // last answered probe was sent, after the one before it was answered
    // (probes go one at a time), whatever a loaded machine's stalls.
    const [previous, last] = server.answeredAt.slice(-2);
    expect(losses[0]!.since).toBeLessThanOrEqual(last!);
    expect(losses[0]!.since).toBeGreaterThan(previous!);
  });

  it('does not declare a server lost for an outage shorter than LOST_AFTER_MS, and settles at once when it answers', async () => {
    const server = await versionsServer();
    const losses: TargetLoss[] = [];
    const watch = watchTarget({ target: target(server.url), runStartedAt: Date.now(), onLost: (loss) => losses.push(loss), watchdog: { ...FAST, LOST_AFTER_MS: 10_000 } });
    server.answering.on = false;
    await new Promise((resolve) => setTimeout(resolve, 400));
    server.answering.on = true;
    const settling = Date.now();
    await watch.settle();
    // At once: at its next probe, not after LOST_AFTER_MS (a loaded machine may stall a probe by a second or two).
    expect(Date.now() - settling).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    watch.stop();
    await server.close();
    expect(losses).toEqual([]);
  });
});

describe('watchTarget, embedded server', () => {
  let dir: string;
  let python: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-watch-'));
    python = shimPython('this test');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const spawnServer = async (name: string, lastLine = 'ready on 127.0.0.1') => {
    const logFile = path.join(dir, `${name}.log`);
    await writeFile(logFile, '');
    const process = new ManagedProcess({ python, command: '/bin/sh', args: ['-c', `echo starting; echo "${lastLine}"; exec sleep 60`], cwd: dir, logFile });
    // Until its last line is in the log (a fixed pause lost that race on a loaded machine).
    const deadline = Date.now() + 20_000;
    while (!(await readFile(logFile, 'utf8')).includes(lastLine) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return { process, logFile };
  };

  it('names a server killed under the run: pid, when, signal and the last line of its log', async () => {
    const { process, logFile } = await spawnServer('killed');
    const losses: TargetLoss[] = [];
    const watch = watchTarget({ target: target('http://127.0.0.1:9', logFile), process, runStartedAt: Date.now() - 5_000, onLost: (loss) => losses.push(loss) });
    globalThis.process.kill(process.pid!, 'SIGKILL');
    await process.exited;
    await watch.settle();
    expect(losses.map((l) => l.line)).toEqual([expect.stringMatching(new RegExp(`^Test 1\\.0 \\(pid ${process.pid}\\) exited \\d+\\.\\d s into the run, killed by SIGKILL; last log line: ready on 127\\.0\\.0\\.1$`))]);
    // The run started 5 s before the kill (more on a loaded machine).
    expect(Number(/exited (\d+\.\d) s/.exec(losses[0]!.line)?.[1])).toBeGreaterThanOrEqual(5);
  });

  it('ends the line with the log line\'s last word, not with the spaces a 200-character cut can leave (Synapse access lines)', async () => {
    const { process, logFile } = await spawnServer('spaces', `${'x'.repeat(199)} 200 `);
    const losses: TargetLoss[] = [];
    const watch = watchTarget({ target: target('http://127.0.0.1:9', logFile), process, runStartedAt: Date.now(), onLost: (loss) => losses.push(loss) });
    globalThis.process.kill(process.pid!, 'SIGKILL');
    await process.exited;
    await watch.settle();
    expect(losses[0]?.line).toMatch(/last log line: x{199}$/);
  });

  it('says nothing of a server the harness stopped itself', async () => {
    const { process, logFile } = await spawnServer('stopped');
    const losses: TargetLoss[] = [];
    const watch = watchTarget({ target: target('http://127.0.0.1:9', logFile), process, runStartedAt: Date.now(), onLost: (loss) => losses.push(loss) });
    await process.stop();
    await watch.settle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(losses).toEqual([]);
  });
});
