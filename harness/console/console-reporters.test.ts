import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { consoleReporters, type ConsoleChoice } from './console-reporters.js';
import { StatusBoard } from './status-board.js';

const FIXTURE = fileURLToPath(new URL('./testing/two-requirements.fixture.ts', import.meta.url));

/** Stands for the run's result collector, always there: with no reporter at all vitest would add its default one. */
const COLLECTOR = {};

/** vitest's summary lines, which a run's console must not show unless --verbose. */
const VITEST_SUMMARY = /Test Files|^\s*Tests\s|Duration|Start at/m;

/** A stream that keeps what is written, at once (a PassThrough's 'data' may come after the run ends). */
function collect(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  // Vitest pipes its worker's output into the stream it is given, and a pipe
  // ends its destination when its source ends: process.stdout is exempt, a
  // test's stream must be too, or the summary written after it is lost.
  stream.end = () => stream;
  return { stream, text: () => text };
}

/** Runs the fixture through a vitest of its own with the console's reporters, as a run does; returns all it printed. */
async function consoleOf(choice: Omit<ConsoleChoice, 'progress'>): Promise<string> {
  const { createVitest } = await import('vitest/node');
  const stdout = collect();
  const stderr = collect();
  const boardOut = collect();
  const board = new StatusBoard({ write: (text: string) => boardOut.stream.write(text) });
  const { reporters, progress } = await consoleReporters({ ...choice, progress: { label: 'fixture', board, runStartedAt: Date.now(), expectedMs: 60_000 } });
  const exitCode = process.exitCode;
  const vitest = await createVitest('test', { config: false, root: fileURLToPath(new URL('.', import.meta.url)), include: [FIXTURE], watch: false, reporters: [COLLECTOR, ...reporters], pool: 'threads', maxWorkers: 1 }, {}, { stdout: stdout.stream as NodeJS.WriteStream, stderr: stderr.stream as NodeJS.WriteStream });
  try {
    await vitest.start();
  } finally {
    await vitest.close();
    progress?.stop();
    // The fixture's failing test is on purpose: not this test process's failure.
    process.exitCode = exitCode;
  }
  return [stdout.text(), stderr.text(), boardOut.text()].join('\n');
}

describe('the console while the suites run', () => {
  it('shows the progress line and none of vitest\'s summary lines', { timeout: 60_000 }, async () => {
    const text = await consoleOf({});
    expect(text).toContain('[fixture] 2/2 requirements judged');
    expect(text).not.toMatch(VITEST_SUMMARY);
  });

  it('with --verbose shows vitest\'s reporter and its summary lines instead', { timeout: 60_000 }, async () => {
    const text = await consoleOf({ verbose: true });
    expect(text, text).toMatch(VITEST_SUMMARY);
    expect(text).toContain('1 failed');
    expect(text).not.toContain('requirements judged');
  });

  it('shows nothing when quiet', { timeout: 60_000 }, async () => {
    expect((await consoleOf({ quiet: true })).trim()).toBe('');
  });
});
