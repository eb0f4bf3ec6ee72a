import { describe, expect, it } from 'vitest';
import { SETUP, Slots, backoffMs, retryStep } from './setup-steps.js';

describe('set-up slots', () => {
  it('never lets more than the limit run at once, and serves waiters in order', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const work = (i: number) => slots.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push(i);
      running--;
      return i;
    });

    expect(await Promise.all([0, 1, 2, 3, 4, 5].map(work))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot when the work throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(async () => { throw new Error('refused'); })).rejects.toThrow('refused');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});

describe('retryStep', () => {
  it('backs off exponentially up to the cap, and stops once the budget is spent', async () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    const pauses: number[] = [];
    let clock = Date.now();
    const realNow = Date.now;
    Date.now = () => clock;
    try {
      const outcome = await retryStep<string>(async () => ({ giveUp: (attempts) => `gave up after ${attempts}` }), {
        sleep: async (ms) => {
          pauses.push(ms);
          clock += ms;
        },
      });
      expect(outcome).toMatch(/^gave up after \d+ attempts over \d+ s$/);
      expect(pauses.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(SETUP.budgetMs);
      expect(pauses.length).toBeGreaterThan(5);
    } finally {
      Date.now = realNow;
    }
  });

  it('returns as soon as an attempt is done', async () => {
    let attempts = 0;
    const outcome = await retryStep(async (n) => (n < 2 ? { giveUp: () => 'no' } : { done: `yes at ${++attempts + n}` }), { sleep: async () => undefined });
    expect(outcome).toBe('yes at 3');
  });

  it('stops retrying at once when the test is cancelled, also in the middle of a back-off', async () => {
    const cancel = new AbortController();
    let attempts = 0;
    const started = Date.now();
    const outcome = retryStep<string>(async () => {
      attempts++;
      if (attempts === 4) setTimeout(() => cancel.abort(), 50);
      return { giveUp: (how) => `gave up: ${how}` };
    }, { cancel: cancel.signal });

    expect(await outcome).toMatch(/^gave up: 5 attempts over \d+ s, then the test was cancelled$/);
    // Back-offs 0.5 + 1 + 2 s, then 4 s cut short after 50 ms.
    expect(Date.now() - started).toBeLessThan(4_500);
  });
});
