import { Agent, request } from 'undici';
import { HarnessError } from '../../errors.js';

/** testcontainers' client of the Docker engine (the module is loaded on first use: only the docker target needs it). */
export type DockerClient = Awaited<ReturnType<(typeof import('testcontainers'))['getContainerRuntimeClient']>>;

/**
 * How to start an engine that makes no network on a private address range
 * (no bridge, no iptables rules): containers then use the host network only.
 */
export const DOCKERD_COMMAND = 'dockerd --bridge=none --iptables=false --ip-masq=false';

/** How long finding the engine may take before it counts as missing (the CLI promises exit 2 within 5 s). */
const ENGINE_TIMEOUT_MS = 4_000;

/**
 * The environment testcontainers needs on an engine run with host
 * networking only (no `bridge` network to look up, no Ryuk image to pull):
 * set unless the user set them.
 */
export function configureTestcontainers(env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

/** Where an engine is reached when DOCKER_HOST is not set. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/**
 * Pings the engine at `host` (unix:// or tcp://): undefined when it
 * answers, else why not.
 */
export async function pingEngine(host: string = process.env.DOCKER_HOST ?? DEFAULT_DOCKER_HOST): Promise<string | undefined> {
  const unix = host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  const origin = unix ? 'http://localhost' : host.replace(/^tcp:/, 'http:');
  const dispatcher = new Agent(unix ? { connect: { socketPath: unix } } : {});
  try {
    const response = await request(`${origin}/_ping`, { dispatcher, signal: AbortSignal.timeout(ENGINE_TIMEOUT_MS) });
    await response.body.dump();
    return response.statusCode === 200 ? undefined : `GET /_ping answered ${response.statusCode}`;
  } catch (cause) {
    return (cause as { code?: string }).code ?? (cause instanceof Error ? cause.message : String(cause));
  } finally {
    await dispatcher.close();
  }
}

/**
 * Connects to the Docker engine through testcontainers (DOCKER_HOST, then
 * the usual sockets), or explains in one line that none answers (exit 2).
 */
export async function dockerClient(): Promise<DockerClient> {
  configureTestcontainers();
  // testcontainers would fall back to /var/run/docker.sock when the engine
  // DOCKER_HOST names does not answer; a user who names an engine means that one.
  const host = process.env.DOCKER_HOST;
  const why = host ? await pingEngine(host) : undefined;
  if (why) throw new HarnessError(`no Docker engine answers at DOCKER_HOST=${host} (${why}); start one (e.g. ${DOCKERD_COMMAND}) or unset DOCKER_HOST`);
  const { getContainerRuntimeClient } = await import('testcontainers');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ENGINE_TIMEOUT_MS / 1000} s`)), ENGINE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([getContainerRuntimeClient(), timeout]);
  } catch (cause) {
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    throw new HarnessError(`no Docker engine is reachable (${why}); start one (e.g. ${DOCKERD_COMMAND}) or set DOCKER_HOST`);
  } finally {
    clearTimeout(timer);
  }
}
