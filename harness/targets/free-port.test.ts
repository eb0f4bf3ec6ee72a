import { describe, expect, it } from 'vitest';
import { freePort, unusedPort } from './managed-process.js';

describe('freePort', () => {
  it('never hands out a port twice in one process, even when asked again before the first is bound', async () => {
    const offered = [4001, 4001, 4002, 4001, 4003];
    const given = new Set<number>();
    const ask = async () => offered.shift()!;
    expect([await unusedPort(ask, given), await unusedPort(ask, given), await unusedPort(ask, given)]).toEqual([4001, 4002, 4003]);
  });

  it('gives distinct ports to callers at once', async () => {
    const ports = await Promise.all(Array.from({ length: 8 }, freePort));
    expect(new Set(ports).size).toBe(8);
  });
});
