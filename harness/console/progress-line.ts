import { clockText } from './clock-text.js';

/** Where a run is: what its progress line says. */
export interface RunProgress {
  /** Which run: the target (`synapse`, `synapse+dendrite`), so several runs' lines can be told apart. */
  label: string;
  judged: number;
  total: number;
  elapsedMs: number;
  /** Time left by the declared timings; negative once the run is past what they predict. */
  etaMs: number;
}

/** `[synapse] 12/57 requirements judged, 0:42 elapsed, ETA 1:25` */
export function progressLine(p: RunProgress): string {
  const eta = p.judged >= p.total ? 'done' : p.etaMs > 0 ? `ETA ${clockText(p.etaMs)}` : 'ETA any moment (past the declared timings)';
  return `[${p.label}] ${p.judged}/${p.total} requirements judged, ${clockText(p.elapsedMs)} elapsed, ${eta}`;
}

/** The tenth of the run judged (0 to 10): a log gets a line each time it grows. */
export function tenthJudged(judged: number, total: number): number {
  return total === 0 ? 10 : Math.floor((judged * 10) / total);
}
