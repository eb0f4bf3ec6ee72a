/** How a homeserver the harness owns ended. */
export interface ProcessExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms at which the harness saw it end. */
  at: number;
}

/**
 * A homeserver the harness started and must stop: an embedded server's
 * process (ManagedProcess) or a container (ManagedContainer). What an
 * interrupt stops and what the target watch listens to.
 */
export interface OwnedServer {
  /** Names it in the line that reports its loss, e.g. "pid 4242" or "container 3f2a…". */
  readonly handle: string;
  readonly running: boolean;
  /**
   * Resolves when it ends without the harness having asked it to stop (it
   * crashed, or someone else killed it); never resolves otherwise.
   */
  readonly died: Promise<ProcessExit>;
  /** Asks it to stop, forcing it after `graceMs`; resolves once it is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Several servers owned as one (the two servers of a federating pair): it
 * dies when any of them dies (its handle then names that one), and stopping
 * it stops them all.
 */
export class OwnedServers implements OwnedServer {
  private first: OwnedServer | undefined;

  constructor(private readonly servers: readonly OwnedServer[]) {}

  get handle(): string {
    return (this.first ?? this.servers[0])?.handle ?? 'no server';
  }

  get running(): boolean {
    return this.servers.every((server) => server.running);
  }

  get died(): Promise<ProcessExit> {
    return Promise.race(this.servers.map((server) => server.died.then((exit) => {
      this.first ??= server;
      return exit;
    })));
  }

  async stop(graceMs?: number): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop(graceMs)));
  }
}
