import { describe, expect, it } from 'vitest';
import { everyRangeBut } from './loopback-only.js';

/** Whether a dotted IPv4 address falls in a CIDR range. */
function contains(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const toNumber = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}

describe('everyRangeBut', () => {
  const ranges = everyRangeBut('127.0.0.1');
  const v4 = ranges.filter((r) => !r.includes(':'));

  it('is the recipe measured here: 32 IPv4 ranges and all of IPv6', () => {
    expect(ranges).toHaveLength(33);
    expect(ranges).toContain('::/0');
    for (const r of ['0.0.0.0/2', '126.0.0.0/8', '127.0.0.0/32', '127.0.0.2/31', '127.128.0.0/9', '128.0.0.0/1']) expect(v4).toContain(r);
  });

  it.each(['127.0.0.2', '127.0.0.0', '127.1.0.1', '10.0.0.1', '172.16.0.1', '192.168.1.1', '8.8.8.8', '0.0.0.0', '255.255.255.255'])('blocks %s', (address) => {
    expect(v4.filter((r) => contains(r, address))).toHaveLength(1);
  });

  it('leaves 127.0.0.1 out', () => {
    expect(v4.filter((r) => contains(r, '127.0.0.1'))).toHaveLength(0);
  });
});
