import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { REPORT_FOLDER } from '../reports/report-folder.js';
import { OwnedServers, type OwnedServer } from '../targets/owned-server.js';
import { binaryMissing, definitionOf, kindsThat, stamped, targetKind, type TargetKind } from '../targets/registry.js';
import { startPair, type PairRole } from './start-pair.js';
import type { FederationSetup } from '../federation/setup.js';
import type { ImageOptions, UrlOptions } from '../targets/definition.js';
import type { StartedTarget } from '../targets/target.js';
import { processAlive } from '../targets/managed-process.js';

const OWNER_PID_FILE = 'harness.pid';

/** Work folders of embedded targets live in the temp dir under this prefix plus the target's name. */
export function workDirPrefix(kind: TargetKind): string {
  return `presence-conformance-${kind}-`;
}

/**
 * Removes work folders left by runs that could not clean up (a SIGKILLed
 * CLI: its homeserver dies with it, but the folder with the server's secrets
 * stays). A folder is orphaned when the process that made it is gone.
 */
export async function sweepOrphanedWorkDirs(): Promise<void> {
  const entries = await readdir(os.tmpdir()).catch(() => [] as string[]);
  const prefixes = kindsThat((definition) => definition.type === 'embedded').map(workDirPrefix);
  for (const entry of entries.filter((e) => prefixes.some((prefix) => e.startsWith(prefix)))) {
    const dir = path.join(os.tmpdir(), entry);
    const pid = Number((await readFile(path.join(dir, OWNER_PID_FILE), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await rm(dir, { recursive: true, force: true });
  }
}

/** What the user said about a target whose details the harness cannot know by itself. */
export interface TargetFlags {
  /** An external target (`--base-url` and friends). */
  url?: UrlOptions;
  /** An image to run (`--image` and friends). */
  container?: ImageOptions;
  /** `--binary`: the build each family that declares the `binary` capability boots instead of its provisioned one. */
  binaries?: Partial<Record<TargetKind, string>>;
}

export interface StartTargetOptions extends TargetFlags {
  target: TargetKind;
  /** The embedded server's log goes here as `homeserver.log`. */
  reportDir: string;
  log: (line: string) => void;
  /** Receives the homeserver process as soon as it exists, so an interrupt can stop it. */
  onSpawn?: (server: OwnedServer) => void;
  /** Receives clean-up work (removal of the server's work folder) to run once the target is stopped. */
  onCleanup: (cleanup: () => Promise<void>) => void;
  /** Boot with presence switched off (self-check stage); refused by a target that does not declare `disablePresence`. */
  presenceDisabled?: boolean;
  /** An embedded server booted as one of a federating pair (set by the pair's own start). */
  federation?: FederationSetup;
  /** The second server of a pair logs to REPORT_FOLDER.peerHomeserverLog. */
  role?: PairRole;
}

/**
 * Starts an embedded target (in a private work folder it owns) or connects
 * to an external one, as the registry says. Shared by `run` and `selfcheck`,
 * so both reach a target in exactly the same way.
 */
export async function startTarget(options: StartTargetOptions): Promise<StartedTarget> {
  const definition = definitionOf(options.target);
  const { capabilities } = definition;
  if (options.presenceDisabled && !capabilities.disablePresence) throw new HarnessError(`--target ${options.target} cannot boot with presence disabled`);
  if (options.federation && !capabilities.federate) throw new HarnessError(`--target ${options.target} cannot be one server of a federating pair`);
  const binary = options.binaries?.[options.target];
  if (capabilities.binary?.required && binary === undefined) throw binaryMissing(options.target);
  if (definition.type === 'external') {
    if (!options.url) throw new HarnessError(`--target ${options.target} needs --base-url`);
    return stamped(options.target, await definition.connect(options.url));
  }
  if (definition.type === 'pair') {
    const member = (role: PairRole) => targetKind(role === 'first' ? definition.first : definition.second);
    return startPair(
      (role, federation) => startTarget({ ...options, target: member(role), federation, role }),
      (line) => options.log(`[${options.target}] ${line}`),
      { first: definitionOf(member('first')).capabilities.link, second: definitionOf(member('second')).capabilities.link },
    );
  }
  const logFile = path.join(options.reportDir, options.role === 'second' ? REPORT_FOLDER.peerHomeserverLog : REPORT_FOLDER.homeserverLog);
  const progress = (line: string) => options.log(`[${options.role === 'second' ? `${options.target}, peer` : options.target}] ${line}`);
  if (definition.type === 'container') {
    if (!options.container) throw new HarnessError(`--target ${options.target} needs --image`);
    return stamped(options.target, await definition.start({ ...options.container, logFile, owner: options.reportDir, progress, onSpawn: options.onSpawn }));
  }
  // The server's config and database hold secrets and tokens: keep them out
  // of the report directory, and remove them when the run ends.
  await sweepOrphanedWorkDirs();
  const workDir = await mkdtemp(path.join(os.tmpdir(), workDirPrefix(options.target)));
  await writeFile(path.join(workDir, OWNER_PID_FILE), `${process.pid}\n`);
  options.onCleanup(() => rm(workDir, { recursive: true, force: true }));
  return stamped(options.target, await definition.start({
    workDir,
    logFile,
    owner: options.reportDir,
    progress,
    onSpawn: options.onSpawn,
    presenceDisabled: options.presenceDisabled,
    federation: options.federation,
    binary,
  }));
}

/**
 * What a command owns of the target it started: the homeserver process (from
 * the moment it exists) and the removal of its work folder. A stop requested
 * before the process exists still stops it once it does.
 */
export class TargetOwnership {
  private readonly spawned: OwnedServer[] = [];
  private stopping = false;
  private readonly cleanups: Array<() => Promise<void>> = [];

  /** Starts or reaches the target, keeping hold of what it spawns. */
  start(options: Omit<StartTargetOptions, 'onSpawn' | 'onCleanup'>): Promise<StartedTarget> {
    return startTarget({
      ...options,
      onCleanup: (cleanup) => this.cleanups.push(cleanup),
      onSpawn: (process) => {
        this.spawned.push(process);
        if (this.stopping) void process.stop();
      },
    });
  }

  /** The homeserver process, once spawned (none for an external target); both servers of a pair as one. */
  get process(): OwnedServer | undefined {
    return this.spawned.length > 1 ? new OwnedServers(this.spawned) : this.spawned[0];
  }

  /** Stops the homeserver(s), after `graceMs` of SIGTERM (0: at once). Idempotent. */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await Promise.all(this.spawned.map((server) => server.stop(graceMs)));
  }

  /** Stops the homeserver and removes its work folder. */
  async release(): Promise<void> {
    await this.stop();
    for (const cleanup of this.cleanups.splice(0)) await cleanup().catch(() => undefined);
  }
}
