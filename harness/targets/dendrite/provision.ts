import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { cacheRoot, provisionCached, runInstallCommand } from '../cache.js';

/**
 * The Go module the embedded Dendrite is built from: matrix-org's (Apache-2.0),
 * the last release under that name. Never the element-hq fork (AGPL).
 */
export const DENDRITE_MODULE = 'github.com/matrix-org/dendrite';

/** Checks that `command` runs, or explains in one line what to install (exit 2). */
function requireTool(command: string, args: string[], what: string): void {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new HarnessError(`the embedded Dendrite is built from source and needs ${what}, but "${command}" could not be run; install it (Debian: apt-get install golang gcc) or use --target url`);
  }
}

/**
 * Makes sure `dendrite` of `version` is built in the per-user cache and
 * returns the binary's path: `go install` of the matrix-org module (CGO for
 * its SQLite driver, hence gcc) with GOBIN in a staging folder renamed into
 * place. About 3 minutes cold; the Go module and build caches make later
 * builds (another cache root) fast.
 */
export async function provisionDendrite(version: string, progress: (line: string) => void): Promise<string> {
  const dir = path.join(cacheRoot(), `dendrite-${version}`);
  const binary = path.join(dir, 'bin', 'dendrite');
  const go = process.env.PRESENCE_CONFORMANCE_GO ?? 'go';
  await provisionCached(dir, `Dendrite ${version} (${DENDRITE_MODULE})`, progress, async (staging, logFile) => {
    requireTool(go, ['version'], 'Go');
    requireTool(process.env.CC ?? 'gcc', ['--version'], 'a C compiler (gcc) for its SQLite driver');
    progress(`go install ${DENDRITE_MODULE}/cmd/dendrite@v${version} (CGO; a few minutes on a cold Go cache)`);
    await runInstallCommand(go, ['install', `${DENDRITE_MODULE}/cmd/dendrite@v${version}`], {
      env: { ...process.env, GOBIN: path.join(staging, 'bin'), CGO_ENABLED: '1' },
      step: `Dendrite ${version}: go install`,
      logFile,
      interesting: /^go: (downloading|finding|extracting)/,
    });
  });
  return binary;
}
