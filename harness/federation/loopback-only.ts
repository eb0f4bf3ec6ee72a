/**
 * Every IPv4 range but one address, as CIDRs (32 of them), plus all of
 * IPv6: the outbound block list of a server that may reach that address
 * only. For each bit of the address, the range that agrees with it on the
 * bits before and differs on that one.
 */
export function everyRangeBut(address: string): string[] {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`not an IPv4 address: ${address}`);
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const ranges: string[] = [];
  for (let bits = 1; bits <= 32; bits++) {
    const shift = 32 - bits;
    // Keep the first `bits - 1` bits of the address, flip bit `bits`, zero the rest.
    const prefix = Math.floor(value / 2 ** shift) ^ 1;
    const start = prefix * 2 ** shift;
    const dotted = [24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.');
    ranges.push(`${dotted}/${bits}`);
  }
  return [...ranges, '::/0'];
}
