/**
 * A story's timeline as pure data: what `buildTimeline` derives from one
 * test's evidence and the run's target facts, and what `renderTimelineSvg`
 * draws. Every time is epoch ms; the renderer shows them as seconds from
 * `startMs` (the story's first recorded exchange).
 */

/** How a duration reads on the timeline: "12.3 s". */
export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** A presence state as an observer saw it (`online`, `unavailable`, `offline`, or whatever else the server sent). */
export type SeenState = string;

/** What an actor's device did, drawn as a mark on its lane. */
export type ActKind = 'put' | 'message' | 'sync' | 'join' | 'leave' | 'invite' | 'room' | 'typing' | 'receipt' | 'login' | 'other';

export interface Act {
  kind: ActKind;
  atMs: number;
  /** End of the request (a long-poll sync is drawn as a bar from `atMs` to here). */
  endMs: number;
  /** Short text beside the mark: "PUT unavailable", "message", "sync set_presence=offline". */
  label: string;
  /** The exchange's sequence number in the evidence. */
  seq: number;
  status: number;
  /** The server refused it or never answered (status 0 or >= 400). */
  refused: boolean;
  /** The story's set-up step (retried, bounded), not something the story judges. */
  setup: boolean;
  /** A device's first sync with the default set_presence: it connects the user, marking her online. */
  connects?: true;
}

/** One reading of a user's presence by an observer (a GET, an m.presence event in a sync, an EDU on the link). */
export interface Observation {
  atMs: number;
  state: SeenState;
  currentlyActive?: boolean;
  lastActiveAgo?: number;
  via: 'get' | 'sync' | 'edu';
  seq: number;
}

/** A stretch of time over which an observer's last reading was one state. */
export interface StateSpan {
  fromMs: number;
  toMs: number;
  state: SeenState;
  currentlyActive: boolean;
  /** The readings that make up the span (its first one began it). */
  observations: Observation[];
}

export type LaneKind = 'device' | 'observer' | 'link' | 'server' | 'waits' | 'windows';

/** A declared window shaded on a lane: `idle` threshold, `active` (currently_active) window, a server `job`, a `wait` until its deadline. */
export interface Shade {
  kind: 'idle' | 'active' | 'check' | 'job' | 'wait';
  fromMs: number;
  toMs: number;
  label: string;
  /** A wait that ended by its deadline without what it waited for (or a job whose phase is only bounded). */
  missed?: boolean;
}

export interface Lane {
  id: string;
  kind: LaneKind;
  /** Left-hand label: "alice", "alice#2", "bob sees alice", "link a -> b", "server jobs". */
  label: string;
  acts: Act[];
  spans: StateSpan[];
  /** EDUs on a link lane: each push item, coloured by the state it carried. */
  edus: Array<Observation & { label: string; userId: string }>;
  shades: Shade[];
}

/** The observation the verdict rests on, highlighted; `why` says how it was found. */
export interface FailingObservation {
  fromMs: number;
  toMs: number;
  /** The lanes it is on (none found: drawn across the whole timeline). */
  laneIds: string[];
  /** Sequence numbers of the exchanges it was read from. */
  seqs: number[];
  why: string;
}

export interface Timeline {
  startMs: number;
  endMs: number;
  lanes: Lane[];
  /** Deadlines of the story's waits, drawn as vertical lines across every lane. */
  deadlines: Array<{ atMs: number; label: string; missed: boolean }>;
  failing?: FailingObservation;
  /** One line each: what the timeline could not draw (no declared timings, truncated payloads). */
  notes: string[];
}
