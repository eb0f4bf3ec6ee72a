import { describe, expect, it } from 'vitest';
import { pack } from './pack.js';

// What a user's `npm install` receives (package.json `files`): what runs, nothing
// that only develops or tests it. The e2e test beside this one runs it from an
// empty folder.
describe('npm pack', () => {
  it('holds the CLI, the harness without its tests, the suites and what they read at run time, and nothing else', { timeout: 60_000 }, async () => {
    const { files, entryCount, unpackedSize } = await pack();
    const paths = files.map((f) => f.path);
    for (const needed of [
      'package.json',
      'bin/presence-conformance.js',
      'harness/cli/main.ts',
      'harness/runner/all-suites.entry.ts',
      'suites/free-for-chat/put-rejected.test.ts',
      'harness/targets/synapse/homeserver.yaml',
      'harness/story/schema/presence-event.schema.json',
      'docs/results.schema.json',
      'reports/expectations/synapse.json',
      'fixtures/images/entrypoint.py',
    ]) {
      expect(paths, needed).toContain(needed);
    }
    const strays = paths.filter(
      (p) => (p.endsWith('.test.ts') && !p.startsWith('suites/')) || /^(reports\/(reference|latest|tmp)|test-output|docs\/decisions|examples|harness\/(action|package))\//.test(p) || p.endsWith('.log'),
    );
    expect(strays).toEqual([]);
    // 617 files / 27.4 MB when issue 20 was filed (1,321 / 67.6 MB by the time of the list); 252 / 0.99 MB with it.
    expect(entryCount).toBeLessThan(400);
    expect(unpackedSize).toBeLessThan(3_000_000);
  });
});
