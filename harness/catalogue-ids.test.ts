import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_MD, REQUIREMENT_IDS_TS, catalogueRows, requirementIdsModule } from './catalogue-ids.js';

describe('harness/requirement-ids.ts', () => {
  it('is what `npm run catalogue-ids` makes of the catalogue table of docs/spec/presence.md (run it after editing the table)', () => {
    const expected = requirementIdsModule(catalogueRows(readFileSync(CATALOGUE_MD, 'utf8')));
    expect(readFileSync(REQUIREMENT_IDS_TS, 'utf8')).toBe(expected);
  });

  it('reads every row of the table, level and statement included', () => {
    const rows = catalogueRows('| ID | Level | Requirement |\n|---|---|---|\n| PRES-A-B | SHOULD | Says `x` | y. |\n| not a row |\n');
    expect(rows).toEqual([{ id: 'PRES-A-B', level: 'SHOULD', statement: 'Says `x` | y.' }]);
  });
});
