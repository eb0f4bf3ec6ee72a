import type { HttpTransport, Reply } from './http.js';

/** `GET /_matrix/client/versions` as the spec describes it: `unstable_features` maps a feature's name to whether it is enabled. */
export interface VersionsBody {
  versions?: unknown;
  unstable_features?: unknown;
}

/** What the server says about its unstable features, with the exchange that said it. */
export interface UnstableFeatures {
  /** Names whose value is `true`: a feature listed as `false`, or not a boolean, is not offered (spec: "Features not listed here, or the lack of this property all together, indicate that a feature is not supported"). */
  readonly enabled: ReadonlySet<string>;
  /** Whether `name` is listed with `true`. */
  offers(name: string): boolean;
  readonly reply: Reply<VersionsBody>;
}

/**
 * Reads `/versions` once (unauthenticated: the flags a client checks before
 * using a feature, e.g. MSC3026's `org.matrix.msc3026.busy_presence`). A
 * non-200 answer or a malformed `unstable_features` offers nothing; callers
 * that must tell "not offered" from "could not ask" look at `reply.status`.
 */
export async function readUnstableFeatures(http: HttpTransport): Promise<UnstableFeatures> {
  const reply = await http.send<VersionsBody>({ method: 'GET', path: '/_matrix/client/versions', actor: 'harness', setup: 'retry' });
  const features = reply.status === 200 ? reply.body.unstable_features : undefined;
  const enabled = new Set<string>();
  if (features && typeof features === 'object' && !Array.isArray(features)) {
    for (const [name, on] of Object.entries(features)) if (on === true) enabled.add(name);
  }
  return { enabled, offers: (name) => enabled.has(name), reply };
}
