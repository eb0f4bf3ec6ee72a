import type { CollectedTest } from './model.js';

/** A collected test of `requirementId` for unit tests of the results: a quick pass, with `over` on top. */
export const collectedTest = (requirementId: string, over: Partial<CollectedTest>): CollectedTest => ({
  requirementId,
  name: over.name ?? 't',
  fullName: `${requirementId} > t`,
  verdict: 'pass',
  durationMs: 5,
  ...over,
});
