import { HarnessError } from '../../errors.js';
import type { TargetTimings } from '../../timings.js';
import { TIMING_KEYS } from '../../timing-flags.js';

const PREFIX = 'org.matrix.presence-conformance';

/**
 * Labels of an image and of the containers the harness runs. An image built
 * by `npm run images` declares what a Complement image cannot: which
 * environment variables take the port and bind address (so it need not take
 * the host network's fixed 8008), the timers it is configured with, and its
 * product and version. Any other image declares nothing, and the user's
 * flags apply.
 */
export const LABEL = {
  /** Image: hash of what built it; `npm run images` rebuilds when it changes. */
  recipe: `${PREFIX}.recipe`,
  /** Image: its product and version, e.g. "Synapse 1.163.2". */
  serverVersion: `${PREFIX}.server-version`,
  /** Image: the environment variable that sets its client API port. */
  portEnv: `${PREFIX}.port-env`,
  /** Image: the environment variable that sets the address its client API binds. */
  bindEnv: `${PREFIX}.bind-env`,
  /** Image: JSON of the TargetTimings it is configured with. */
  timings: `${PREFIX}.timings`,
  /** Container: the report directory of the run that owns it. */
  owner: `${PREFIX}.owner`,
  /** Container: pid of the CLI that owns it; a container whose owner is gone is swept. */
  ownerPid: `${PREFIX}.owner-pid`,
} as const;

/** What an image says about itself through its labels. */
export interface ImageDeclaration {
  serverVersion?: string;
  portEnv?: string;
  bindEnv?: string;
  timings: Partial<TargetTimings>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads an image's labels; a malformed label is a one-line error naming it, not a silent default. */
export function readImageDeclaration(image: string, labels: Record<string, string> | null | undefined): ImageDeclaration {
  const get = (key: string) => labels?.[key]?.trim() || undefined;
  const env = (key: string) => {
    const value = get(key);
    if (value !== undefined && !ENV_NAME.test(value)) throw new HarnessError(`image ${image}: label ${key} must name an environment variable, got ${JSON.stringify(value)}`);
    return value;
  };
  const declaration: ImageDeclaration = { serverVersion: get(LABEL.serverVersion), portEnv: env(LABEL.portEnv), bindEnv: env(LABEL.bindEnv), timings: {} };
  const raw = get(LABEL.timings);
  if (raw === undefined) return declaration;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HarnessError(`image ${image}: label ${LABEL.timings} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HarnessError(`image ${image}: label ${LABEL.timings} must be a JSON object`);
  for (const key of TIMING_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new HarnessError(`image ${image}: label ${LABEL.timings} has ${key} ${JSON.stringify(value)}, not a whole number of ms`);
    declaration.timings[key] = value;
  }
  return declaration;
}
