import { describe, expect, it } from 'vitest';
import type { BenchResults, BenchStep } from '../model.js';
import { benchTable, harnessShare } from './report.js';

const step = (users: number, serverCpuSeconds: number | null, harnessCpuSeconds: number): BenchStep => ({
  users, rooms: 2, presenceChanges: 3, latency: { count: 6, p50: 10, p95: 20, p99: 30, max: 40 }, missing: 0, late: 1, superseded: 0, deadlineMs: 7000,
  unsharedPairs: 8, leaks: [], leakCount: 0, requests: 50, rateLimited: 2, failedSyncs: 0, serverCpuSeconds, serverPeakRssMiB: serverCpuSeconds === null ? null : 100, harnessCpuSeconds, durationMs: 60_000,
});

const results = (targetsAtOnce: number): BenchResults => ({
  schemaVersion: 1, startedAt: '', finishedAt: '',
  machine: { cpuModel: 'x', cpus: 2, memoryGiB: 8, os: 'Linux', node: 'v20', loadAverage: 1 },
  params: { users: [4, 8], roomSizes: '2:1', stepSeconds: 60, presenceChangesPerMinute: 2, messagesPerMinute: 1, seed: 1, maxRequests: 1, maxSeconds: 1, targetsAtOnce },
  baseline: null,
  targets: [
    { target: 'synapse', server: 'Synapse 1', steps: [step(4, 4, 1), step(8, 6, 1)] },
    { target: 'url', server: 'x', steps: [step(4, null, 1)] },
    { target: 'dendrite', server: 'unknown', steps: [], error: 'could not start' },
  ],
});

describe('the console output of the bench', () => {
  it('has a row per target and step, a dash where a figure is not known, and the cause of a target that could not run', () => {
    const lines = benchTable(results(1)).split('\n');
    expect(lines).toHaveLength(2 + 4);
    expect(lines[2]).toMatch(/^\| synapse +\| 4 +\| 2 +\| 3 +\| 6 +\| 10 +\| 20 +\| 30 +\| 40 +\| 0 +\| 1 +\| 0 +\| 4 +\| 100 +\| 1 +\| 2 +\| - +\|$/);
    expect(lines[4]).toMatch(/^\| url +\|.*\| - +\| - +\| 1 +\|/);
    expect(lines[5]).toContain('error: could not start');
  });

  it('gives the harness\'s CPU share over the servers\', says when it is an upper bound, and that no baseline was measured', () => {
    expect(harnessShare(results(1))).toBe("harness CPU 3.0 s against the servers' 10.0 s over the measured phases (30%); loopback baseline: not measured");
    expect(harnessShare(results(3))).toContain('3 targets side by side');
  });
});
