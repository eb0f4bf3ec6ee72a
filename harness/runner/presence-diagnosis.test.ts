import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport, closePools } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import type { MutantBehaviour } from '../selfcheck/mutant.js';
import { presenceDisabled } from '../selfcheck/mutants/wholesale.js';
import { FaultProxy } from '../selfcheck/proxy.js';
import { FakeUpstream, miniHomeserver } from '../testing/fake-upstream.js';
import { resultsSchemaErrors } from '../reports/results-schema.js';
import { fixtureResults } from '../reports/test-fixture.js';
import { SPEC_EXAMPLE_TIMINGS } from '../timings.js';
import { diagnosePresence, PRESENCE_DISABLED } from './presence-diagnosis.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await closePools();
});

// Short delivery deadline: the probe waits this long before it concludes.
const timings = { ...SPEC_EXAMPLE_TIMINGS, deliveryMs: 300, slackMs: 100 };
const alice = { userId: '@alice:hs', accessToken: 'token-alice', deviceId: 'D1' };

/** Dendrite without `presence.enable_outbound`: PUT acknowledged, GET answers an empty state. */
const emptyState: MutantBehaviour = {
  request(request) {
    if (request.route === 'presence-get') return { status: 200, json: { presence: '' } };
    if (request.route === 'presence-put') return { status: 200, json: {} };
  },
};

async function serve(disabled: boolean | MutantBehaviour): Promise<string> {
  const upstream = await new FakeUpstream(miniHomeserver().handler).start();
  stops.push(() => upstream.stop());
  if (disabled === false) return upstream.url;
  const behaviour = disabled === true ? presenceDisabled.create() : disabled;
  const proxy = await new FaultProxy({ upstream: upstream.url, behaviour }).start();
  stops.push(() => proxy.stop());
  return proxy.url;
}

describe('the preflight presence diagnosis', () => {
  it('says nothing when a PUT online reads back online', async () => {
    const url = await serve(false);
    expect(await diagnosePresence(new HttpTransport(url, new Recorder()), alice, timings)).toBeUndefined();
  });

  it('says presence looks disabled when a PUT online is acknowledged and GET still says offline', async () => {
    const url = await serve(true);
    const started = Date.now();
    const diagnosis = await diagnosePresence(new HttpTransport(url, new Recorder()), alice, timings);
    expect(diagnosis?.code).toBe(PRESENCE_DISABLED);
    expect(diagnosis?.message).toMatch(/^presence looks disabled on this server: PUT online answered 200, yet GET of one's own presence still said \{"presence":"offline"\}/);
    // It waited for the declared delivery deadline before concluding.
    expect(Date.now() - started).toBeGreaterThanOrEqual(timings.deliveryMs + timings.slackMs);
    expect(diagnosis?.message).not.toContain('token-alice');
  });

  it('says presence looks disabled when GET answers an empty state instead of online', async () => {
    const url = await serve(emptyState);
    const diagnosis = await diagnosePresence(new HttpTransport(url, new Recorder()), alice, timings);
    expect(diagnosis?.code).toBe(PRESENCE_DISABLED);
    expect(diagnosis?.message).toContain('{"presence":""}');
  });
});

describe('diagnoses in results.json', () => {
  it('are part of the committed schema, with a known code', () => {
    const results = { ...fixtureResults(), diagnoses: [{ code: PRESENCE_DISABLED, message: 'presence looks disabled' }] };
    expect(resultsSchemaErrors(results)).toEqual([]);
    expect(resultsSchemaErrors({ ...results, diagnoses: [{ code: 'other', message: '' }] })[0]).toMatch(/^\/diagnoses\/0\/code must be equal to one of the allowed values/);
  });
});
