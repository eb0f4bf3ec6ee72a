import { describe, expect, it } from 'vitest';
import { usersLine } from './users-line.js';

describe('usersLine', () => {
  it('says how many were made and deactivated', () => {
    expect(usersLine({ made: 131, deactivated: 131, failed: 0, durationMs: 9_900 })).toBe('131 test users made, 131 deactivated after leaving their rooms (9.9 s)');
  });

  it('says why none were deactivated', () => {
    expect(usersLine({ made: 1, deactivated: 0, failed: 0, skipped: 'kept' })).toBe('1 test user made, kept on the server (--keep-users)');
    expect(usersLine({ made: 12, deactivated: 0, failed: 0, skipped: 'removed-with-server' })).toBe('12 test users made; server removed with the run, and they with it');
    expect(usersLine({ made: 12, deactivated: 0, failed: 0, skipped: 'target-lost' })).toBe('12 test users made; not deactivated: the server went away');
  });

  it('names the users left active as a warning, ten at most, with the first cause', () => {
    const left = Array.from({ length: 12 }, (_, i) => `@pc-${i}:hs`);
    const line = usersLine({ made: 20, deactivated: 8, failed: 12, notCleanedUp: left, cause: 'the clean-up ran out of time', durationMs: 30_000 });
    expect(line).toBe(`20 test users made, 8 deactivated after leaving their rooms (30.0 s); WARNING: 12 left active on the server: ${left.slice(0, 10).join(', ')} and 2 more (first cause: the clean-up ran out of time)`);
  });
});
