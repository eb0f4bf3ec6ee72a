/**
 * The target's round-trip time, as this thread sees it: how long ordinary
 * requests take (network both ways plus the server's handling). Delivery
 * deadlines add an allowance derived from it (`TestServer.soon`,
 * `afterTimer`), so that "soon" means soon for this server: a change that
 * reached the server must still travel out on a roommate's /sync answer, and
 * that roommate may have to send one more poll first: two round trips.
 *
 * Only ordinary requests count: authenticated ones that are not long-polls
 * (a /sync with a `timeout` waits on purpose) and not set-up steps
 * (registration and login hash a password, which says nothing about how fast
 * presence travels).
 */

/** How many recent samples the estimate looks at. */
const WINDOW = 50;
/** Fewer samples than this: the preflight's measurement stands. */
const MIN_SAMPLES = 5;
/** The percentile of recent durations taken as "a round trip". */
const PERCENTILE = 0.9;
/** Round trips a delivery deadline allows for (see above). */
export const ROUND_TRIPS_PER_DELIVERY = 2;

/** A round-trip figure and where it came from, for evidence and messages. */
export interface RoundTrip {
  /** Milliseconds added to a delivery deadline: `ROUND_TRIPS_PER_DELIVERY` × `roundTripMs`. */
  allowanceMs: number;
  roundTripMs: number;
  /** How it was measured, e.g. "p90 of the last 50 requests" or "preflight". */
  basis: string;
}

/** A running estimate over the last `WINDOW` ordinary requests, seeded by the preflight's measurement. */
export class RoundTripEstimate {
  private readonly samples: number[] = [];
  private preflightMs = 0;

  /** The preflight's measurement (`TargetDescriptor.roundTripMs`), used until enough samples arrive. */
  seed(ms: number | undefined): void {
    if (ms !== undefined && Number.isFinite(ms) && ms >= 0) this.preflightMs = ms;
  }

  /** One ordinary request's duration. */
  observe(durationMs: number): void {
    this.samples.push(durationMs);
    if (this.samples.length > WINDOW) this.samples.shift();
  }

  /** The current estimate. */
  current(): RoundTrip {
    if (this.samples.length < MIN_SAMPLES) return roundTrip(this.preflightMs, 'measured by the preflight');
    return roundTrip(typicalMs(this.samples), `p${PERCENTILE * 100} of this worker's last ${this.samples.length} requests`);
  }
}

function roundTrip(ms: number, basis: string): RoundTrip {
  const roundTripMs = Math.round(ms);
  return { roundTripMs, allowanceMs: ROUND_TRIPS_PER_DELIVERY * roundTripMs, basis };
}

/** This thread's estimate, fed by `HttpTransport`. */
export const roundTrips = new RoundTripEstimate();

/** The round trip a set of request durations shows: their 90th percentile (the preflight uses it too). */
export function typicalMs(durations: readonly number[]): number {
  if (durations.length === 0) return 0;
  const sorted = [...durations].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(PERCENTILE * sorted.length))]!;
}
