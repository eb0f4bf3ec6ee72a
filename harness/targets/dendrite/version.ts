import { spawnSync } from 'node:child_process';
import { HarnessError } from '../../errors.js';

/** A binary that has not printed its version by then is not a Dendrite (the CLI promises exit 2 within seconds). */
const VERSION_TIMEOUT_MS = 5_000;

/**
 * What the binary says it is (`dendrite --version` prints e.g. `0.13.8`), so
 * the results name what really ran. `given`: the user's `--binary`, whose
 * refusal says it is not a Dendrite, with the last line it printed; else
 * the provisioned one, whose refusal says how to have it built again.
 */
export function dendriteBinaryVersion(binary: string, given = false): string {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  const printed = `${probe.stdout ?? ''}`.trim();
  const version = printed.split('\n')[0] ?? '';
  if (!probe.error && probe.status === 0 && /^v?\d+\.\d+/.test(version)) return version;
  if (!given) throw new HarnessError(`${binary} --version failed; remove ${binary} to have it built again`);
  const how = probe.error
    ? (probe.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `did not answer within ${VERSION_TIMEOUT_MS / 1000} s` : probe.error.message
    : probe.status !== 0 ? `exited ${probe.status ?? probe.signal}` : `printed no version`;
  const lastLine = `${printed}\n${probe.stderr ?? ''}`.trim().split('\n').slice(-1)[0]?.slice(0, 200) ?? '';
  throw new HarnessError(`--binary ${binary} is not a Dendrite: \`--version\` ${how}${lastLine ? ` (last line: ${lastLine})` : ''}`);
}
