import { stopRunningCommands } from './run-command.js';

/** Clean-up actions still to run, newest last. */
const pending: Array<{ what: string; run: () => void }> = [];
let handlersInstalled = false;

let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  process.stderr.write(`images: ${signal}, stopping the build and cleaning up\n`);
  void stopRunningCommands().then(() => {
    runAllCleanups();
    process.exit(130);
  });
}

function runAllCleanups(): void {
  while (pending.length) {
    const action = pending.pop()!;
    try {
      action.run();
    } catch (cause) {
      process.stderr.write(`images: could not ${action.what}: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    }
  }
}

/**
 * Runs `body` with a synchronous clean-up action (remove a temporary root
 * filesystem, a build container) that runs when `body` settles, whether it
 * succeeded or threw, and also when the process is interrupted by SIGINT or
 * SIGTERM meanwhile (then the process exits 130).
 */
export async function withCleanup<T>(what: string, cleanup: () => void, body: () => Promise<T>): Promise<T> {
  if (!handlersInstalled) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    handlersInstalled = true;
  }
  const action = { what, run: cleanup };
  pending.push(action);
  try {
    return await body();
  } finally {
    const index = pending.indexOf(action);
    if (index >= 0) {
      pending.splice(index, 1);
      cleanup();
    }
  }
}
