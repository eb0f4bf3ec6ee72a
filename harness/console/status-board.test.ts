import { describe, expect, it } from 'vitest';
import { StatusBoard } from './status-board.js';

function board(isTTY: boolean, columns = 80) {
  let out = '';
  let now = 0;
  const b = new StatusBoard({ write: (text: string) => (out += text), isTTY, columns }, () => now, 15_000);
  return { b, out: () => out, at: (ms: number) => (now = ms), clear: () => (out = '') };
}

describe('the status board on a terminal', () => {
  it('rewrites one line in place, the live lines of several keys side by side', () => {
    const { b, out } = board(true);
    b.set('synapse', 'synapse 1/5');
    b.set('dendrite', 'dendrite 0/5');
    b.set('synapse', 'synapse 2/5');
    expect(out()).not.toContain('\n');
    expect(out().split('\r\x1b[K').at(-1)).toBe('synapse 2/5 | dendrite 0/5');
  });

  it('clears the live line before a permanent one and redraws it after, so they never interleave', () => {
    const { b, out, clear } = board(true);
    b.set('run', 'progress');
    clear();
    b.log('  PASS MUST   PRES-FFC-PUT');
    expect(out()).toBe('\r\x1b[K  PASS MUST   PRES-FFC-PUT\n\r\x1b[Kprogress');
  });

  it('leaves nothing live once its key is dropped', () => {
    const { b, out, clear } = board(true);
    b.set('run', 'progress');
    b.drop('run');
    clear();
    b.log('verdicts');
    expect(out()).toBe('verdicts\n');
  });

  it('never writes a line wider than the terminal (a wrapped one cannot be rewritten)', () => {
    const { b, out } = board(true, 40);
    b.set('run', 'x'.repeat(100));
    expect(out().split('\r\x1b[K').at(-1)!.length).toBeLessThan(40);
  });

  it('takes a terminal that says its width is 0 as 120 wide', () => {
    const { b, out } = board(true, 0);
    b.set('run', 'x'.repeat(100));
    expect(out().split('\r\x1b[K').at(-1)).toBe('x'.repeat(100));
  });
});

describe('the status board in a log', () => {
  it('prints a live line at most every 15 s per key, and each milestone', () => {
    const { b, out, at } = board(false);
    b.set('run', 'a');
    at(5_000);
    b.set('run', 'b');
    at(9_000);
    b.set('run', 'c', { milestone: true });
    at(20_000);
    b.set('run', 'd'); // 11 s after the milestone's line
    at(24_000);
    b.set('run', 'e');
    at(30_000);
    b.set('run', 'f');
    expect(out()).toBe('a\nc\ne\n');
  });

  it('throttles each key on its own (several targets)', () => {
    const { b, out } = board(false);
    b.set('synapse', 's1');
    b.set('dendrite', 'd1');
    b.set('synapse', 's2');
    expect(out()).toBe('s1\nd1\n');
  });

  it('writes permanent lines as they come, with no terminal codes', () => {
    const { b, out } = board(false);
    b.set('run', 'progress');
    b.log('gate: passed');
    expect(out()).toBe('progress\ngate: passed\n');
  });
});
