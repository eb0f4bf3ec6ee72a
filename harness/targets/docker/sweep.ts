import type { DockerClient } from './engine.js';
import { LABEL } from './labels.js';
import { processAlive } from '../managed-process.js';

/** Force-removes the given containers (running or not); one that is already gone is no error. */
async function removeAll(client: DockerClient, ids: string[]): Promise<void> {
  await Promise.all(ids.map((id) => client.container.getById(id).remove({ force: true, v: true }).catch(() => undefined)));
}

/**
 * Removes containers left by runs that could not clean up (a SIGKILLed CLI
 * leaves its container running): those labelled with an owner pid that is
 * no longer alive. Returns how many it removed.
 */
export async function sweepOrphanedContainers(client: DockerClient): Promise<number> {
  const listed = await client.container.dockerode.listContainers({ all: true, filters: { label: [LABEL.ownerPid] } });
  const orphans = listed.filter((info) => {
    const pid = Number(info.Labels[LABEL.ownerPid]);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid);
  });
  await removeAll(client, orphans.map((info) => info.Id));
  return orphans.length;
}

/** The ids of every container (running or not) a run owns, by its owner label. */
export async function containersOwnedBy(client: DockerClient, owner: string): Promise<string[]> {
  const listed = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${LABEL.owner}=${owner}`] } });
  return listed.map((info) => info.Id);
}

/** Force-removes every container a run owns (its last word on clean-up, after the container was stopped). */
export async function removeContainersOwnedBy(client: DockerClient, owner: string): Promise<void> {
  await removeAll(client, await containersOwnedBy(client, owner));
}
