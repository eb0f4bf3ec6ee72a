import { eventually } from '../clock.js';
import { spanOf, type MatrixUser, type PresenceSighting } from '../client/matrix-user.js';
import type { Recorder } from '../client/recorder.js';

/** A `last_active_ago` value and the span of real time in which the server produced it. */
export interface AgoReading {
  ago: number;
  /** The server computed `ago` at some instant in [from, to] (epoch ms). */
  from: number;
  to: number;
}

/** The `last_active_ago` of a sighting, if it carries one. */
export function agoReading(sighting: Pick<PresenceSighting, 'content' | 'from' | 'to'>): AgoReading | undefined {
  const ago = sighting.content.last_active_ago;
  return typeof ago === 'number' ? { ago, from: sighting.from, to: sighting.to } : undefined;
}

/**
 * The real time that passed between the instants two readings were produced
 * lies in [min, max]. With no pro-active event in between, an up-to-date
 * `last_active_ago` grows by exactly that much.
 */
export function elapsedBetween(earlier: AgoReading, later: AgoReading): { min: number; max: number } {
  return { min: later.from - earlier.to, max: later.to - earlier.from };
}

/**
 * Polls `reader`'s GET of `of` until the server reports `of`'s last activity
 * as at least `ageMs` old; returns that reading.
 */
export async function lastActiveAged(
  reader: MatrixUser,
  of: MatrixUser,
  ageMs: number,
  options: { deadline: number; recorder?: Recorder },
): Promise<AgoReading> {
  return eventually(
    async () => {
      const reply = await reader.getPresence(of);
      return { ...spanOf(reply), content: reply.body, status: reply.status };
    },
    (seen) => {
      const reading = seen.status === 200 ? agoReading(seen) : undefined;
      return reading && reading.ago >= ageMs ? reading : undefined;
    },
    { deadline: options.deadline, what: `${of.role}'s last_active_ago to reach ${ageMs} ms`, ...(options.recorder ? { recorder: options.recorder } : {}) },
  );
}
