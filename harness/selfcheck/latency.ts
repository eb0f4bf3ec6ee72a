import { HarnessError } from '../errors.js';
import type { Latency } from './proxy.js';

/** The latency case the suite must survive: 250 ± 250 ms on every response. */
export const DEFAULT_LATENCY: Latency = { delayMs: 250, jitterMs: 250 };

/** `--latency <delay>,<jitter>` (ms), or `off`. */
export function parseLatency(text: string): Latency | undefined {
  if (text === 'off') return undefined;
  const match = /^(\d+),(\d+)$/.exec(text.trim());
  if (!match || Number(match[2]) > Number(match[1])) throw new HarnessError(`--latency needs <delay>,<jitter> in ms with jitter <= delay (e.g. 250,250), or off; got ${JSON.stringify(text)}`);
  return { delayMs: Number(match[1]), jitterMs: Number(match[2]) };
}
