import { afterEach, describe, expect, it } from 'vitest';
import { FakeUpstream, json } from '../../testing/fake-upstream.js';
import { HttpTransport } from './http.js';
import { Recorder } from './recorder.js';
import { readUnstableFeatures } from './versions.js';

describe('readUnstableFeatures', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  async function features(status: number, body: unknown) {
    server = await new FakeUpstream((req, _body, res) => (req.url === '/_matrix/client/versions' ? json(res, status, body) : json(res, 404, {}))).start();
    const recorder = new Recorder();
    return { features: await readUnstableFeatures(new HttpTransport(server.url, recorder)), recorder };
  }

  it('offers the features listed as true, and records the exchange', async () => {
    const { features: f, recorder } = await features(200, { versions: ['v1.16'], unstable_features: { 'org.matrix.msc3026.busy_presence': true, 'org.matrix.simplified_msc3575': true } });
    expect(f.offers('org.matrix.msc3026.busy_presence')).toBe(true);
    expect([...f.enabled].sort()).toEqual(['org.matrix.msc3026.busy_presence', 'org.matrix.simplified_msc3575']);
    expect(recorder.exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /_matrix/client/versions 200']);
  });

  it('does not offer a feature listed as false (Synapse lists busy_presence: false when msc3026 is off) or as a non-boolean', async () => {
    const { features: f } = await features(200, { versions: [], unstable_features: { 'org.matrix.msc3026.busy_presence': false, 'x.string': 'true', 'x.one': 1 } });
    expect(f.offers('org.matrix.msc3026.busy_presence')).toBe(false);
    expect(f.enabled.size).toBe(0);
  });

  it('offers nothing without unstable_features, with a malformed one, or on a non-200 answer (whose status the caller sees)', async () => {
    expect((await features(200, { versions: [] })).features.enabled.size).toBe(0);
    await server?.stop();
    expect((await features(200, { unstable_features: ['org.matrix.msc3026.busy_presence'] })).features.offers('org.matrix.msc3026.busy_presence')).toBe(false);
    await server?.stop();
    const refused = (await features(404, { unstable_features: { 'org.matrix.msc3026.busy_presence': true } })).features;
    expect(refused.offers('org.matrix.msc3026.busy_presence')).toBe(false);
    expect(refused.reply.status).toBe(404);
  });
});
