import { describe, expect, it } from 'vitest';
import type { BenchBaseline } from '../model.js';
import { renderBenchTable } from './console-table.js';
import { fixtureBench } from './fixture.js';

describe('the console table', () => {
  it('prints the baseline and each server\'s harness CPU share before its steps, columns aligned', () => {
    const text = renderBenchTable(fixtureBench());
    const lines = text.split('\n');
    expect(lines[0]).toBe('baseline (the harness alone, loopback echo server, 200 users): p50 3 ms, p95 9 ms, p99 17 ms, max 31 ms; harness CPU 3.7 s');
    expect(text).toContain('synapse (Synapse 1.163.2): harness CPU at most 8% of the server\'s');
    const synapse = lines.slice(lines.indexOf('synapse (Synapse 1.163.2): harness CPU at most 8% of the server\'s') + 1, lines.indexOf('synapse (Synapse 1.163.2): harness CPU at most 8% of the server\'s') + 6);
    expect(synapse[1]).toMatch(/^\s+10\s+210 ms\s+480 ms\s+620 ms\s+700 ms\s+0\s+0\s+0\s+4\.1\s+180\s+0\.3\s+7%$/);
    expect(new Set(synapse.map((l) => l.length)).size).toBe(1);
    expect(text).toContain('  200 users: stopped early');
  });

  it('says when there is no baseline and when the server\'s CPU is unknown', () => {
    const results = fixtureBench();
    for (const s of results.targets[0]!.steps) s.serverCpuSeconds = null;
    const text = renderBenchTable({ ...results, baseline: null as unknown as BenchBaseline });
    expect(text).toMatch(/^baseline: not measured/);
    expect(text).toContain('synapse (Synapse 1.163.2): harness CPU share unknown (no server CPU figure)');
  });
});
