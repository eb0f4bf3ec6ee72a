/**
 * `node bin/bench-page.js BENCH_JSON [--out bench.html] [--screenshot docs/images/bench.png]`:
 * renders bench.html from a bench.json (the bench command writes it too;
 * this redraws it after a change of the page) and, with --screenshot, a PNG
 * of its plots (what the README shows).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, HarnessError } from '../../errors.js';
import { readBenchFile } from './read-bench.js';
import { renderBenchHtml } from './render.js';
import { screenshotPage } from './screenshot.js';

export async function benchPage(argv: string[], log: (line: string) => void): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, screenshot: { type: 'string' } } });
    } catch (cause) {
      throw new HarnessError(`bench-page: ${(cause as Error).message}`);
    }
    const [input, ...extra] = parsed.positionals;
    if (!input || extra.length) throw new HarnessError('usage: bench-page BENCH_JSON [--out FILE.html] [--screenshot FILE.png]');
    const results = await readBenchFile(input);
    const out = parsed.values.out ?? path.join(path.dirname(input), 'bench.html');
    await writeFile(out, renderBenchHtml(results));
    log(`wrote ${out}`);
    if (parsed.values.screenshot) {
      await mkdir(path.dirname(parsed.values.screenshot), { recursive: true });
      await screenshotPage(path.resolve(out), parsed.values.screenshot);
      log(`wrote ${parsed.values.screenshot}`);
    }
    return EXIT.ok;
  } catch (cause) {
    if (!(cause instanceof HarnessError)) throw cause;
    log(cause.message);
    return cause.exitCode;
  }
}
