import { describe, expect, it } from 'vitest';
import { clockText } from './clock-text.js';
import { progressLine, tenthJudged } from './progress-line.js';

describe('the progress line', () => {
  it('says which run, requirements judged of total, elapsed time and ETA', () => {
    expect(progressLine({ label: 'synapse', judged: 12, total: 57, elapsedMs: 42_400, etaMs: 85_000 })).toBe('[synapse] 12/57 requirements judged, 0:42 elapsed, ETA 1:25');
  });

  it('says when the run is past what the declared timings predict, and when it is done', () => {
    expect(progressLine({ label: 'dendrite', judged: 56, total: 57, elapsedMs: 700_000, etaMs: -5_000 })).toContain('ETA any moment (past the declared timings)');
    expect(progressLine({ label: 'dendrite', judged: 57, total: 57, elapsedMs: 700_000, etaMs: -5_000 })).toMatch(/57\/57 requirements judged, 11:40 elapsed, done$/);
  });

  it('reads durations as a clock', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(7_400)).toBe('0:07');
    expect(clockText(125_000)).toBe('2:05');
    expect(clockText(3_725_000)).toBe('1:02:05');
    expect(clockText(-3_000)).toBe('0:00');
  });

  it('counts tenths judged, for a log\'s milestones', () => {
    expect(tenthJudged(0, 57)).toBe(0);
    expect(tenthJudged(5, 57)).toBe(0);
    expect(tenthJudged(6, 57)).toBe(1);
    expect(tenthJudged(57, 57)).toBe(10);
    expect(tenthJudged(0, 0)).toBe(10);
  });
});
