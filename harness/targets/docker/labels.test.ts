import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.js';
import { completeTimings, SPEC_EXAMPLE_TIMINGS, timingAssumptions } from '../../timings.js';
import { LABEL, readImageDeclaration } from './labels.js';

describe('readImageDeclaration', () => {
  it('reads what an image of npm run images declares', () => {
    const declared = readImageDeclaration('img', {
      [LABEL.serverVersion]: 'Synapse 1.163.2',
      [LABEL.portEnv]: 'PORT',
      [LABEL.bindEnv]: 'BIND_ADDRESS',
      [LABEL.timings]: JSON.stringify({ idleTimeoutMs: 16_000, firstCycleAfterMs: 120_000, firstCycleByMs: 180_000, unknownKey: 1 }),
    });
    expect(declared).toEqual({ serverVersion: 'Synapse 1.163.2', portEnv: 'PORT', bindEnv: 'BIND_ADDRESS', timings: { idleTimeoutMs: 16_000, firstCycleAfterMs: 120_000, firstCycleByMs: 180_000 } });
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
    expect(t).toEqual({ ...SPEC_EXAMPLE_TIMINGS, idleTimeoutMs: 20_000, checkIntervalMs: 7_000, longestCycleMs: 7_000, firstCycleByMs: 14_000 });
    expect(completeTimings({ longestCycleMs: 60_000, checkIntervalMs: 5_000 }).longestCycleMs).toBe(60_000);
    expect(completeTimings({}, { idleTimeoutMs: undefined })).toEqual({ ...SPEC_EXAMPLE_TIMINGS, firstCycleByMs: 10_000 });
  });

  it('assumes the server just booted where nothing says when its longest cycle first runs, and says so', () => {
    const unlabelled = completeTimings({}, { longestCycleMs: 60_000 });
    expect(unlabelled.firstCycleByMs).toBe(120_000);
    expect(timingAssumptions(unlabelled)).toEqual([expect.stringMatching(/every 60 s\) is unknown: it may have just booted and first run that job up to 120 s after the run started \(--first-cycle-by\)/)]);
    expect(timingAssumptions(completeTimings({ longestCycleMs: 60_000 }, { firstCycleByMs: 0 }))).toEqual([expect.stringContaining('taken as past (--first-cycle-by 0)')]);
    // An image that declares its phase (npm run images) assumes nothing; the user's flag may still widen the watch.
    const labelled = completeTimings({ longestCycleMs: 60_000, firstCycleAfterMs: 120_000 }, {});
    expect(labelled.firstCycleByMs).toBeUndefined();
    expect(timingAssumptions(labelled)).toEqual([]);
    expect(completeTimings({ longestCycleMs: 60_000, firstCycleAfterMs: 120_000 }, { firstCycleByMs: 300_000 }).firstCycleByMs).toBe(300_000);
  });
});
