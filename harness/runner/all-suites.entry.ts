/**
 * The one test file a conformance run hands to vitest: it imports every suite
 * file, so all their tests belong to one file and run concurrently in one
 * worker. Vitest runs one file per worker at a time; with a file per suite, a
 * story queued behind another for want of a worker, and a worker per file cost
 * the import of the harness once per file (16 threads: 1.3 GB, most of the
 * run's CPU). The stories wait on the server, not on the CPU: one thread
 * holds them all. See docs/decisions/0007-one-worker-for-the-suites.md.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SUITES = fileURLToPath(new URL('../../suites/', import.meta.url));

// In a fixed order (the catalogue's areas are sorted by folder), one after
// the other, so the suites register in the same order on every run.
const files = readdirSync(SUITES, { recursive: true, encoding: 'utf8' })
  .filter((entry) => entry.endsWith('.test.ts'))
  .sort();
for (const file of files) await import(`${SUITES}${file}`);
