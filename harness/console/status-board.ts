/**
 * The console's live lines (a run's progress, a provisioning step) beside
 * its permanent ones (the CLI's log, the verdict table). On a terminal the
 * live lines share one line rewritten in place (`\r`), cleared before any
 * permanent line is written and redrawn after it, so the two never
 * interleave. Elsewhere (a CI log) nothing can be rewritten: a live line is
 * printed as a line of its own, at most every `quietMs` per key unless it
 * marks a milestone, so logs stay short.
 */

/** Where the board writes: process.stderr, or a fake in tests. */
export interface BoardStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** What `set` may add: a milestone (a tenth of a run judged) is printed to a log even within `quietMs`. */
export interface LiveOptions {
  milestone?: boolean;
}

/** How often, at most, a log (not a terminal) gets a line per live key. */
export const LOG_QUIET_MS = 15_000;

/** Between live lines of several keys on a terminal's one line. */
const SEPARATOR = ' | ';

/** Erases the terminal's current line and returns to its start. */
const CLEAR = '\r\x1b[K';

export class StatusBoard {
  /** The live lines, by key (a target, a provisioning step), in the order they came. */
  private readonly live = new Map<string, string>();
  /** When each key last printed a line to a log. */
  private readonly printedAt = new Map<string, number>();
  /** Whether a live line is on the terminal now. */
  private drawn = false;

  constructor(
    private readonly stream: BoardStream,
    private readonly now: () => number = Date.now,
    private readonly quietMs: number = LOG_QUIET_MS,
  ) {}

  /** Whether live lines are rewritten in place (a terminal) rather than printed (a log). */
  get inPlace(): boolean {
    return this.stream.isTTY === true;
  }

  /** Writes a permanent line; on a terminal, below nothing live (the live line is redrawn after it). */
  log(line: string): void {
    this.erase();
    this.stream.write(`${line}\n`);
    this.draw();
  }

  /** Sets `key`'s live line to `text`. */
  set(key: string, text: string, options: LiveOptions = {}): void {
    this.live.set(key, text);
    if (this.inPlace) {
      this.draw();
      return;
    }
    const last = this.printedAt.get(key);
    if (last !== undefined && !options.milestone && this.now() - last < this.quietMs) return;
    this.printedAt.set(key, this.now());
    this.stream.write(`${text}\n`);
  }

  /** Removes `key`'s live line (its step or run ended). */
  drop(key: string): void {
    if (!this.live.delete(key)) return;
    this.printedAt.delete(key);
    if (!this.inPlace) return;
    this.erase();
    this.draw();
  }

  private erase(): void {
    if (!this.drawn) return;
    this.stream.write(CLEAR);
    this.drawn = false;
  }

  private draw(): void {
    if (!this.inPlace || this.live.size === 0) return;
    // Never wider than the terminal: a wrapped line cannot be rewritten by `\r`
    // (a terminal that does not say its width, a pseudo-terminal's 0, is taken as 120 wide).
    const width = Math.max(20, (this.stream.columns || 120) - 1);
    const text = [...this.live.values()].join(SEPARATOR);
    this.stream.write(`${CLEAR}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.drawn = true;
  }
}
