import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, type Dispatcher } from 'undici';
import { HarnessError } from '../../errors.js';

/**
 * The certificate authorities (PEM) the harness trusts for a target's https
 * origins (`--ca-file`), in this process: the CLI's (probes, preflight,
 * watchdog) and each test worker's (`TestServer`, from the target
 * descriptor). Every HTTP client of the harness to a target asks here, so a
 * server whose certificate a private CA signed is reached by all of them or
 * by none. Node's own roots are not added: `--ca-file` names the one CA that
 * signed the target's certificate.
 */
const trusted = new Map<string, string>();
const agents = new Map<string, Dispatcher>();

function originOf(url: string | URL): string {
  return new URL(url).origin;
}

/** Trusts `ca` (PEM) for the origin of `url`; an http origin needs no trust and is left alone. */
export function trustCa(url: string | URL, ca: string): void {
  if (new URL(url).protocol !== 'https:') return;
  trusted.set(originOf(url), ca);
}

/** TLS connect options for the origin of `url`: its trusted CA, if one was given. */
export function tlsConnectOptions(url: string | URL): { ca: string } | undefined {
  const ca = trusted.get(originOf(url));
  return ca === undefined ? undefined : { ca };
}

/**
 * The dispatcher for a one-off request to `url` (a probe, a discovery): an
 * agent that trusts the origin's CA, or undefined (undici's global one)
 * where no CA was given, as before there was any.
 */
export function dispatcherFor(url: string | URL): Dispatcher | undefined {
  const origin = originOf(url);
  const connect = tlsConnectOptions(origin);
  if (!connect) return undefined;
  let agent = agents.get(origin);
  if (!agent) {
    agent = new Agent({ connect, keepAliveTimeout: 1_000 });
    agents.set(origin, agent);
  }
  return agent;
}

/** Closes the one-off agents (their keep-alive sockets would hold a finished process). */
export async function closeTrustAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.allSettled(all.map((a) => a.close()));
}

/**
 * A TLS failure's one-line cause, if `cause` is one: the certificate did not
 * verify (against `--ca-file` when given, else Node's roots) or names
 * another host. Undici keeps the socket error's code, or wraps it as `cause`.
 */
export function tlsFailure(cause: unknown, caFile?: string): string | undefined {
  for (let e = cause as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (!/CERT|SIGNATURE|SELF_SIGNED|ALTNAME|ISSUER|ERR_SSL|ERR_TLS/.test(code)) continue;
    if (code.includes('ALTNAME')) return `its TLS certificate names another host (${code}: ${String(e.message)})`;
    const trust = caFile ? `the CA in --ca-file ${caFile} does not verify it` : 'pass the CA that signed it with --ca-file';
    return `its TLS certificate is not trusted (${code}: ${String(e.message)}); ${trust}`;
  }
  return undefined;
}

/**
 * The PEM text of `--ca-file`, checked to hold a certificate; a missing or
 * unreadable file or anything but PEM certificates is a one-line HarnessError
 * (exit 2), before any connection is tried.
 */
export async function readCaFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HarnessError(`--ca-file ${file}: cannot read it (${(cause as { code?: string }).code ?? String(cause)})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new HarnessError(`--ca-file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (cause) {
      throw new HarnessError(`--ca-file ${file} holds a certificate that does not parse (${cause instanceof Error ? cause.message : String(cause)})`);
    }
  }
  return blocks.join('\n');
}
