import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A stand-in for the suite at GITHUB_ACTION_PATH whose CLI only prints the
 * argv and registration secret it was given (one JSON line) and exits with
 * `code`: what the action passes, without a homeserver.
 */
export async function recordingSuite(dir: string, code: number): Promise<string> {
  const suite = path.join(dir, 'suite');
  await mkdir(path.join(suite, 'bin'), { recursive: true });
  await writeFile(
    path.join(suite, 'bin', 'presence-conformance.js'),
    `console.log(JSON.stringify({ argv: process.argv.slice(2), secret: process.env.PRESENCE_REGISTRATION_SECRET ?? null }));\nprocess.exit(${code});\n`,
  );
  return suite;
}

/** What the stand-in printed. */
export function recorded(stdout: string): { argv: string[]; secret: string | null } {
  return JSON.parse(stdout) as { argv: string[]; secret: string | null };
}

/**
 * A fake `npm` first on PATH, logging its arguments to `<dir>/npm-calls`: the
 * install step (npm ci in the action's folder) is the runner's business, and
 * run here it would rewrite a checkout's node_modules.
 */
export async function fakeNpm(dir: string): Promise<NodeJS.ProcessEnv> {
  const bin = path.join(dir, 'fake-bin');
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${path.join(dir, 'npm-calls')}"\n`);
  await chmod(path.join(bin, 'npm'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}` };
}
