import type { StartedTestContainer } from 'testcontainers';
import type { OwnedServer, ProcessExit } from '../owned-server.js';
import type { DockerClient } from './engine.js';

/**
 * A container the harness owns, from the moment it is asked for: a stop
 * requested while it is still being created waits for it and then removes
 * it, so an interrupt at any time leaves no container behind.
 */
export class ManagedContainer implements OwnedServer {
  private container: StartedTestContainer | undefined;
  private stopRequested = false;
  private ended = false;
  private stopping: Promise<void> | undefined;
  private readonly exit: Promise<ProcessExit>;

  /** `starting` is testcontainers' `start()` of the container. */
  constructor(
    private readonly starting: Promise<StartedTestContainer>,
    client: DockerClient,
  ) {
    this.exit = starting.then(
      async (container) => {
        this.container = container;
        const status = (await client.container.getById(container.getId()).wait().catch(() => ({ StatusCode: -1 }))) as { StatusCode: number };
        this.ended = true;
        return { code: status.StatusCode, signal: null, at: Date.now() };
      },
      () => {
        this.ended = true;
        return new Promise<never>(() => undefined);
      },
    );
  }

  /** The container once created (testcontainers' handle). */
  get started(): Promise<StartedTestContainer> {
    return this.starting;
  }

  get handle(): string {
    return this.container ? `container ${this.container.getId().slice(0, 12)}` : 'container (starting)';
  }

  get running(): boolean {
    return !this.ended;
  }

  get died(): Promise<ProcessExit> {
    return this.exit.then((exit) => (this.stopRequested ? new Promise<never>(() => undefined) : exit));
  }

  /** Stops the container (SIGTERM, SIGKILL after `graceMs`) and removes it with its volumes. */
  stop(graceMs = 10_000): Promise<void> {
    this.stopRequested = true;
    this.stopping ??= this.starting.then(
      (container) => container.stop({ timeout: graceMs, remove: true, removeVolumes: true }).then(() => undefined),
      () => undefined,
    ).catch(() => undefined).finally(() => {
      this.ended = true;
    });
    return this.stopping;
  }
}
