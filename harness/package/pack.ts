import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

/** The project's root: where package.json and its `files` list are. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What `npm pack` puts in the tarball: each file's path and size, and the totals. */
export interface PackContents {
  files: Array<{ path: string; size: number }>;
  entryCount: number;
  unpackedSize: number;
  /** The tarball's name in the destination folder (pack only). */
  filename: string;
}

const run = promisify(execFile);

/**
 * Packs the project as `npm pack` would publish it: into `destination`, or
 * only listed (`--dry-run`) when none is given. npm reads package.json's
 * `files`, so this is the list a user's install receives.
 */
export async function pack(destination?: string): Promise<PackContents> {
  const args = ['pack', '--json', '--ignore-scripts', ...(destination ? ['--pack-destination', destination] : ['--dry-run'])];
  const { stdout } = await run('npm', args, { cwd: PACKAGE_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [contents] = JSON.parse(stdout) as PackContents[];
  if (!contents) throw new Error(`npm pack printed no package: ${stdout.slice(0, 200)}`);
  return contents;
}
