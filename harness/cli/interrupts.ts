import { EXIT } from '../errors.js';
import { log } from './output.js';

/** Something long-running that can stop gracefully, or at once. */
export interface Interruptible {
  interrupt(reason: string): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Runs `work` with SIGINT/SIGTERM in the CLI's hands: the first signal asks
 * `target` to stop gracefully (it then finishes with partial results), a
 * second stops it at once and exits 130. Resolves with the result and whether
 * a signal arrived.
 */
export async function withInterrupts<T>(target: Interruptible, what: string, work: () => Promise<T>): Promise<{ result: T; interrupted: boolean }> {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      log(`${signal}: stopping ${what}; writing a partial report (press Ctrl-C again to stop at once)`);
      void target.interrupt(signal);
    } else {
      void target.kill().finally(() => process.exit(EXIT.interrupted));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await work();
    return { result, interrupted: signals > 0 };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Several runs side by side (`run --target a,b`) as one thing to interrupt:
 * the first signal stops every run under way (each writes its partial
 * report) and `stopped` keeps further ones from starting; the second kills
 * them all. A run that joins after the signal is stopped at once.
 */
export class InterruptibleGroup implements Interruptible {
  private readonly running = new Set<Interruptible>();
  private reason: string | undefined;

  /** Whether a signal arrived: start nothing more. */
  get stopped(): boolean {
    return this.reason !== undefined;
  }

  /** Runs `work` with `member` interruptible through the group; resolves with its result and whether the group was stopped by the time it ended. */
  async with<T>(member: Interruptible, work: () => Promise<T>): Promise<{ result: T; interrupted: boolean }> {
    this.running.add(member);
    if (this.reason) void member.interrupt(this.reason);
    try {
      return { result: await work(), interrupted: this.stopped };
    } finally {
      this.running.delete(member);
    }
  }

  async interrupt(reason: string): Promise<void> {
    this.reason ??= reason;
    await Promise.all([...this.running].map((member) => member.interrupt(reason)));
  }

  async kill(): Promise<void> {
    await Promise.all([...this.running].map((member) => member.kill()));
  }
}
