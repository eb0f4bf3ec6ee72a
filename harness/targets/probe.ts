import { request } from 'undici';
import { HarnessError } from '../errors.js';
import { sleep } from '../story/clock.js';
import { dispatcherFor, tlsFailure } from '../story/client/trust.js';

export interface ProbeResult {
  versions: string[];
}

/**
 * One `GET /_matrix/client/versions`. Resolves with the advertised spec
 * versions, or rejects with a one-line cause: unreachable, timed out, or
 * answering but not as a Matrix homeserver.
 */
export async function probeVersions(baseUrl: string, timeoutMs: number, caFile?: string): Promise<ProbeResult> {
  const url = new URL('/_matrix/client/versions', baseUrl);
  let status: number;
  let text: string;
  try {
    const response = await request(url, { method: 'GET', dispatcher: dispatcherFor(url), headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    status = response.statusCode;
    text = await response.body.text();
  } catch (cause) {
    const tls = tlsFailure(cause, caFile);
    if (tls) throw new HarnessError(`${baseUrl}: ${tls}`);
    throw new HarnessError(`${baseUrl} is unreachable: ${unreachableReason(cause)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const versions = (body as { versions?: unknown })?.versions;
  if (status !== 200 || !Array.isArray(versions)) {
    throw new HarnessError(`${baseUrl} is not a Matrix homeserver: GET /_matrix/client/versions answered ${status} without a "versions" list`);
  }
  return { versions: versions.map(String) };
}

/** Why a request got no answer, in a few words. */
export function unreachableReason(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  return code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : cause instanceof Error ? cause.message : String(cause);
}

/** Polls `probeVersions` until it succeeds, `deadline` passes, or `abort` says the server died. */
export async function waitUntilReady(baseUrl: string, deadline: number, abort: () => string | undefined): Promise<ProbeResult> {
  let last: unknown;
  while (Date.now() < deadline) {
    const dead = abort();
    if (dead) throw new HarnessError(dead);
    try {
      return await probeVersions(baseUrl, 2_000);
    } catch (cause) {
      last = cause;
      await sleep(200);
    }
  }
  throw new HarnessError(`${baseUrl} did not become ready in time (${last instanceof Error ? last.message : String(last)})`);
}
