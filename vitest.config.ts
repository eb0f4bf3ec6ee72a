import { defineConfig } from 'vitest/config';

// Self-tests of the harness (beside what they test) and end-to-end tests of
// the CLI. The conformance suites under suites/ are not run from here: they
// need a target and are driven by `presence-conformance run`, which the
// end-to-end tests invoke.
export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
