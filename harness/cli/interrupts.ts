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
