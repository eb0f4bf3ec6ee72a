import { createWriteStream } from 'node:fs';
import { HarnessError } from '../../errors.js';
import { registerSecret } from '../../redact.js';
import { completeTimings } from '../../timings.js';
import { freePort, portIsFree } from '../managed-process.js';
import { waitUntilReady } from '../probe.js';
import type { ImageStartOptions, StartedServer } from '../definition.js';
import type { RegistrationMethod } from '../../story/server-facts.js';
import { discoverServerVersion } from '../server-version.js';
import { COMPLEMENT_CA_DIR, makeComplementCa } from './complement-ca.js';
import { dockerClient } from './engine.js';
import { LABEL, readImageDeclaration } from './labels.js';
import { ManagedContainer } from './managed-container.js';
import { removeContainersOwnedBy, sweepOrphanedContainers } from './sweep.js';

/** The Complement image contract: client API on this port, users registered with this shared secret. */
export const COMPLEMENT = { port: 8008, registrationSecret: 'complement', serverName: 'conformance.localhost' } as const;

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

/**
 * `--target docker`: runs a homeserver image that follows Complement's
 * contract (env SERVER_NAME, client API on 8008, shared-secret registration
 * with `complement`, a CA in /complement/ca) on the host network, through
 * testcontainers. Never
 * pulls: the image must be present. An image built by `npm run images`
 * also declares (labels.ts) the variables for its port and bind address,
 * so it gets a free port on 127.0.0.1, and the timers it is configured with.
 * The container is labelled with its owner and removed when the run ends;
 * one left by a killed run is swept on the next start.
 */
export async function startContainer(options: ImageStartOptions): Promise<StartedServer> {
  const client = await dockerClient();
  const swept = await sweepOrphanedContainers(client);
  if (swept > 0) options.progress(`removed ${swept} container(s) left by a run that was killed`);

  const { ImageName, GenericContainer } = await import('testcontainers');
  const imageName = ImageName.fromString(options.image);
  if (!(await client.image.exists(imageName))) {
    throw new HarnessError(`image ${options.image} is not present locally and is never pulled; build it (npm run images) or docker pull/load it first`);
  }
  const inspected = await client.image.inspect(imageName);
  const declared = readImageDeclaration(options.image, inspected.Config?.Labels);

  let port: number = COMPLEMENT.port;
  const env: Record<string, string> = { SERVER_NAME: options.serverName ?? COMPLEMENT.serverName };
  if (declared.portEnv) {
    port = await freePort();
    env[declared.portEnv] = String(port);
  } else if (!(await portIsFree(port))) {
    throw new HarnessError(`port ${port} on 127.0.0.1 is taken; image ${options.image} declares no port variable (label ${LABEL.portEnv}), so it listens on the Complement contract's ${port} on the host network`);
  }
  if (declared.bindEnv) env[declared.bindEnv] = '127.0.0.1';
  else options.progress(`image ${options.image} declares no bind-address variable (label ${LABEL.bindEnv}): it may listen on every interface of the host network`);

  // The Complement secret is public (and a word image names contain): only a
  // secret the user gave is kept out of reports.
  if (options.registration?.kind === 'shared-secret') registerSecret(options.registration.secret);
  const registration: RegistrationMethod = options.registration ?? { kind: 'shared-secret', secret: COMPLEMENT.registrationSecret };

  const ca = await makeComplementCa();
  const baseUrl = `http://127.0.0.1:${port}`;
  options.progress(`starting container of ${options.image} on ${baseUrl} (host network)`);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const startedAt = Date.now();
  const container = new ManagedContainer(
    new GenericContainer(options.image)
      .withNetworkMode('host')
      .withEnvironment(env)
      .withLabels({ [LABEL.owner]: options.owner, [LABEL.ownerPid]: String(process.pid) })
      .withPullPolicy({ shouldPull: () => false })
      .withCopyContentToContainer([
        { content: ca.cert, target: `${COMPLEMENT_CA_DIR}/ca.crt` },
        { content: ca.key, target: `${COMPLEMENT_CA_DIR}/ca.key` },
      ])
      .withLogConsumer((stream) => stream.pipe(log))
      .start(),
    client,
  );
  options.onSpawn?.(container);
  const stop = async () => {
    await container.stop(STOP_GRACE_MS);
    await removeContainersOwnedBy(client, options.owner).catch(() => undefined);
    log.end();
  };
  try {
    await container.started;
    await waitUntilReady(baseUrl, Date.now() + READY_TIMEOUT_MS, () =>
      container.running ? undefined : `the container of ${options.image} exited during start-up; see ${options.logFile}`,
    );
  } catch (cause) {
    await stop();
    throw cause instanceof HarnessError ? cause : new HarnessError(`could not start a container of ${options.image}: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}`);
  }
  const readyAt = Date.now();
  options.progress(`container ready after ${readyAt - startedAt} ms (${container.handle}; log: ${options.logFile})`);
  return {
    baseUrl,
    serverVersion: options.serverVersion ?? declared.serverVersion ?? (await discoverServerVersion(baseUrl)),
    registration,
    timings: completeTimings(declared.timings, options.timings),
    startedAt,
    readyAt,
    logFile: options.logFile,
    stop,
  };
}
