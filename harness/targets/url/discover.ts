import { request } from 'undici';
import { dispatcherFor, tlsFailure, trustCa } from '../../story/client/trust.js';
import { HarnessError } from '../../errors.js';
import { unreachableReason } from '../probe.js';

/** The spec's grammar of a server name: an IPv4 literal, a bracketed IPv6 literal or a DNS name, then an optional port. */
const SERVER_NAME = /^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,255})(:\d{1,5})?$/;

/**
 * The base URL of the homeserver of `serverName`, discovered as a client does
 * (client-server API, "Server Discovery": `GET
 * https://<server name>/.well-known/matrix/client`, its
 * `m.homeserver.base_url`). Every outcome the spec has a client stop at
 * (IGNORE on 404, since nothing else names a server here; FAIL_PROMPT;
 * FAIL_ERROR) is a one-line HarnessError (exit 2); the validation of the base
 * URL itself (`/_matrix/client/versions`) is the url target's probe. The
 * server name's port, if it has one, is kept (as matrix-js-sdk's
 * AutoDiscovery does), so a server on a loopback port can be named.
 * `ca` (the PEM of `--ca-file`) is trusted for the well-known's origin and
 * for the base URL it names.
 */
export async function discoverBaseUrl(serverName: string, timeoutMs: number, ca?: { pem: string; file: string }): Promise<string> {
  if (!SERVER_NAME.test(serverName)) throw new HarnessError(`--server-name ${JSON.stringify(serverName)} is not a server name (hostname[:port])`);
  const wellKnown = new URL(`https://${serverName}/.well-known/matrix/client`);
  if (ca) trustCa(wellKnown, ca.pem);
  const where = wellKnown.href;
  let status: number;
  let text: string;
  try {
    const response = await request(wellKnown, {
      method: 'GET',
      dispatcher: dispatcherFor(wellKnown),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (cause) {
    const tls = tlsFailure(cause, ca?.file);
    throw new HarnessError(`could not discover the base URL of ${serverName}: ${where}: ${tls ?? `unreachable: ${unreachableReason(cause)}`} (or pass --base-url)`);
  }
  const fail = (why: string) => new HarnessError(`could not discover the base URL of ${serverName}: ${where} ${why} (or pass --base-url)`);
  if (status === 404) throw fail('answered 404: the server publishes no client discovery');
  if (status !== 200 || text.trim() === '') throw fail(`answered ${status}${text.trim() === '' ? ' with an empty body' : ''}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail('is not JSON');
  }
  const baseUrl = (body as { 'm.homeserver'?: { base_url?: unknown } } | null)?.['m.homeserver']?.base_url;
  if (typeof baseUrl !== 'string' || baseUrl === '') throw fail('has no m.homeserver.base_url');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw fail(`names m.homeserver.base_url ${JSON.stringify(baseUrl)}, not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`names m.homeserver.base_url ${JSON.stringify(baseUrl)}, not http(s)`);
  if (ca) trustCa(url, ca.pem);
  return url.href;
}
