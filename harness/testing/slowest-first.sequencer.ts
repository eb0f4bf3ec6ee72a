import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { parseCosts } from './test-costs.js';

/** The e2e files' recorded costs (`npm run test-costs` writes them; docs/test-costs.md renders them). */
export const RECORDED_COSTS = 'docs/test-costs.jsonl';

/**
 * The order the e2e files start in: the longest first, by the wall times of
 * docs/test-costs.jsonl, so that the files that set `npm test`'s wall time
 * (the full runs, which wait on their servers' timers) are not started last
 * behind short ones. Vitest's own order needs its results cache, which a
 * fresh clone (CI) lacks: it then starts the largest files first, not the
 * longest. Files the record does not know start first (as vitest starts
 * unknown files first); the unit project keeps vitest's order.
 */
export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const record = path.join(root, RECORDED_COSTS);
    if (!existsSync(record)) return sorted;
    const wall = new Map(parseCosts(readFileSync(record, 'utf8')).map((c) => [c.file, c.wallMs]));
    const rank = (spec: TestSpecification) => wall.get(path.relative(root, spec.moduleId)) ?? Number.POSITIVE_INFINITY;
    const index = new Map(sorted.map((spec, i) => [spec, i]));
    return [...sorted].sort((a, b) => {
      if (a.project.name !== 'e2e' || b.project.name !== 'e2e') return index.get(a)! - index.get(b)!;
      return rank(b) - rank(a) || index.get(a)! - index.get(b)!;
    });
  }
}
