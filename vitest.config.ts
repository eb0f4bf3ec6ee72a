import { defineConfig } from 'vitest/config';
import SlowestFirst from './harness/testing/slowest-first.sequencer.js';

const SLOW = ['harness/**/*.e2e.test.ts', 'harness/**/*.browser.test.ts'];

// Self-tests of the harness (beside what they test) and end-to-end tests of
// the CLI. The conformance suites under suites/ are not run from here: they
// need a target and are driven by `presence-conformance run`, which the
// end-to-end tests invoke. Two projects: `unit` boots no homeserver and no
// browser (`npm run test:unit`); `e2e` (*.e2e.test.ts, *.browser.test.ts)
// does. `npm test` runs both.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    pool: 'forks',
    // The e2e files start longest first (docs/test-costs.jsonl), also from a fresh clone.
    sequence: { sequencer: SlowestFirst },
    projects: [
      // The unit project alone on the machine (its own group, first): one worker
      // per core (vitest's default leaves one core idle: 69 s, against 38 s here).
      { extends: true, test: { name: 'unit', include: ['harness/**/*.test.ts', 'fixtures/**/*.test.ts'], exclude: SLOW, maxWorkers: '100%', sequence: { groupOrder: 0 } } },
      // The docker target's tests need an engine: started for the run if none answers.
      // Four files at once (vitest's default here is one, cores - 1): an
      // e2e file mostly waits on its servers' timers (Synapse's first presence
      // persistence is 2 minutes after boot), and the suite's verdicts must
      // hold on a loaded machine anyway (issue 17): running them side by side
      // is that machine. Four, not more: the files' CPU (about 780 s in all,
      // docs/test-costs.md) fills the 2 cores by then, and the tests that time
      // a bad input's exit (within 5 or 10 s) are the first to feel it.
      // The unit project runs first (its own group).
      { extends: true, test: { name: 'e2e', include: SLOW, globalSetup: ['harness/testing/docker-engine.setup.ts'], setupFiles: ['harness/testing/test-cost.setup.ts'], maxWorkers: 4, sequence: { groupOrder: 1 } } },
    ],
  },
});
