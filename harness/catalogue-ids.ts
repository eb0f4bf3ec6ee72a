import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The requirement IDs' one source is the catalogue table of
 * `docs/spec/presence.md`; harness/requirement-ids.ts is generated from
 * it (`npm run catalogue-ids`) so that a mistyped ID fails `tsc`.
 * catalogue-ids.test.ts fails when the generated file and the table disagree.
 */

export const CATALOGUE_MD = fileURLToPath(new URL('../docs/spec/presence.md', import.meta.url));
export const REQUIREMENT_IDS_TS = fileURLToPath(new URL('./requirement-ids.ts', import.meta.url));

/** How far a tentative requirement's proposal has come (docs/spec/presence.md, "Tentative requirements"). */
export type TentativeStatus = 'merged' | 'open' | 'closed-but-shipped';

/**
 * One row of the catalogue tables: `| PRES-... | LEVEL | statement |`, or,
 * in the tentative table, `| PRES-TENT-... | LEVEL | MSCnnnn | status | statement |`.
 */
export interface CatalogueRow {
  id: string;
  level: 'MUST' | 'SHOULD' | 'MAY';
  statement: string;
  /** Tentative rows only: the proposal the requirement comes from, and its status. */
  msc?: string;
  status?: TentativeStatus;
}

const ROW = /^\| (PRES-[A-Z-]+) \| (MUST|SHOULD|MAY) \| (?:(MSC\d+) \| (merged|open|closed-but-shipped) \| )?(.+) \|$/gm;

/** The catalogue tables' rows, in order. */
export function catalogueRows(markdown: string): CatalogueRow[] {
  return [...markdown.matchAll(ROW)].map((m) => ({
    id: m[1]!,
    level: m[2] as CatalogueRow['level'],
    statement: m[5]!,
    ...(m[3] ? { msc: m[3], status: m[4] as TentativeStatus } : {}),
  }));
}

/** The text of harness/requirement-ids.ts for these rows. */
export function requirementIdsModule(rows: readonly CatalogueRow[]): string {
  return [
    '// Generated from docs/spec/presence.md by `npm run catalogue-ids`; do not edit.',
    '// A new requirement is a row of that file\'s catalogue table, then this command.',
    '',
    '/** Every requirement ID of the catalogue, in catalogue order. */',
    'export const REQUIREMENT_IDS = [',
    ...rows.map((row) => `  '${row.id}',`),
    '] as const;',
    '',
    '/** A requirement ID of the catalogue: any other string fails to compile. */',
    'export type RequirementId = (typeof REQUIREMENT_IDS)[number];',
    '',
  ].join('\n');
}

/** Writes harness/requirement-ids.ts from the catalogue; returns the number of IDs. */
export function writeRequirementIds(): number {
  const rows = catalogueRows(readFileSync(CATALOGUE_MD, 'utf8'));
  writeFileSync(REQUIREMENT_IDS_TS, requirementIdsModule(rows));
  return rows.length;
}
