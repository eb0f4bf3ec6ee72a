import { HarnessError } from '../errors.js';
import { DOCKERD_COMMAND } from '../targets/docker/engine.js';
import { capture } from './run-command.js';


/**
 * Checks that the docker CLI exists and its engine answers; otherwise one
 * line naming the cause and how to get one (exit 2). Returns the engine version.
 */
export function requireDocker(): string {
  const probe = capture('docker', ['version', '--format', '{{.Server.Version}}'], 20_000);
  if (probe.error) {
    throw new HarnessError(`the images need Docker, but the docker CLI could not be run (${probe.error.message}); install it (Debian: apt-get install docker.io) and start an engine: ${DOCKERD_COMMAND} &`);
  }
  if (probe.status !== 0 || !probe.stdout.trim()) {
    const why = probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`;
    throw new HarnessError(`no Docker engine is reachable (${why}); start one, e.g. as root: ${DOCKERD_COMMAND} &`);
  }
  return probe.stdout.trim();
}

/** The labels of a local image, or undefined when there is no such image. */
export function imageLabels(image: string): Record<string, string> | undefined {
  const r = capture('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', image]);
  if (r.status !== 0) return undefined;
  const parsed = JSON.parse(r.stdout.trim() || 'null') as Record<string, string> | null;
  return parsed ?? {};
}

/** The id of a local image, or undefined when there is none. */
export function imageId(image: string): string | undefined {
  const r = capture('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The size of a local image in bytes (its layers and its base's). */
export function imageSize(image: string): number {
  const r = capture('docker', ['image', 'inspect', '--format', '{{.Size}}', image]);
  if (r.status !== 0) throw new HarnessError(`docker image inspect ${image} failed: ${r.stderr.trim()}`);
  return Number(r.stdout.trim());
}

/** Removes a container (and its anonymous volumes) if it exists; never throws. */
export function removeContainer(name: string): void {
  capture('docker', ['rm', '--force', '--volumes', name]);
}

/** Runs a docker subcommand that must succeed and returns its stdout. */
export function docker(args: string[], timeoutMs = 120_000): string {
  const r = capture('docker', args, timeoutMs);
  if (r.status !== 0) throw new HarnessError(`docker ${args[0] ?? ''} failed: ${(r.error?.message ?? r.stderr.trim()).split('\n').pop()}`);
  return r.stdout;
}
