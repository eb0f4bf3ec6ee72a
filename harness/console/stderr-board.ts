import { StatusBoard } from './status-board.js';

/**
 * The process's one board on stderr, where the CLI writes its progress and
 * diagnostics (stdout stays clean for data): the CLI's log and every live
 * line (a run's progress, a provisioning step) go through it, so they never
 * interleave.
 */
export const stderrBoard = new StatusBoard(process.stderr);
