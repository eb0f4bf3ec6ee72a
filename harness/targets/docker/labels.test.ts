import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.js';
import { completeTimings, SPEC_EXAMPLE_TIMINGS } from '../../timings.js';
import { LABEL, readImageDeclaration } from './labels.js';

describe('readImageDeclaration', () => {
  it('reads what an image of npm run images declares', () => {
    const declared = readImageDeclaration('img', {
      [LABEL.serverVersion]: 'Synapse 1.163.2',
      [LABEL.portEnv]: 'PORT',
      [LABEL.bindEnv]: 'BIND_ADDRESS',
      [LABEL.timings]: JSON.stringify({ idleTimeoutMs: 16_000, firstCycleAfterMs: 120_000, unknownKey: 1 }),
    });
    expect(declared).toEqual({ serverVersion: 'Synapse 1.163.2', portEnv: 'PORT', bindEnv: 'BIND_ADDRESS', timings: { idleTimeoutMs: 16_000, firstCycleAfterMs: 120_000 } });
  });

  it('declares nothing for an image without labels (a Complement image)', () => {
    expect(readImageDeclaration('img', null)).toEqual({ serverVersion: undefined, portEnv: undefined, bindEnv: undefined, timings: {} });
  });

  it.each([
    [{ [LABEL.timings]: 'not json' }],
    [{ [LABEL.timings]: '[]' }],
    [{ [LABEL.timings]: '{"idleTimeoutMs": -1}' }],
    [{ [LABEL.timings]: '{"idleTimeoutMs": "16000"}' }],
    [{ [LABEL.portEnv]: 'PORT; rm -rf /' }],
  ])('refuses a malformed label rather than guess: %j', (labels) => {
    expect(() => readImageDeclaration('img', labels)).toThrow(HarnessError);
  });
});

describe('completeTimings', () => {
  it('layers later over earlier over the spec examples; the longest cycle follows the check interval unless named', () => {
    const t = completeTimings({ idleTimeoutMs: 16_000, checkIntervalMs: 7_000 }, { idleTimeoutMs: 20_000 });
    expect(t).toEqual({ ...SPEC_EXAMPLE_TIMINGS, idleTimeoutMs: 20_000, checkIntervalMs: 7_000, longestCycleMs: 7_000 });
    expect(completeTimings({ longestCycleMs: 60_000, checkIntervalMs: 5_000 }).longestCycleMs).toBe(60_000);
    expect(completeTimings({}, { idleTimeoutMs: undefined })).toEqual(SPEC_EXAMPLE_TIMINGS);
  });
});
