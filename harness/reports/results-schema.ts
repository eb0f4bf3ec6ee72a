import { readFile } from 'node:fs/promises';
import AjvModule from 'ajv';
import { HarnessError } from '../errors.js';
import type { Results } from '../results/model.js';
import schema from '../../docs/results.schema.json' with { type: 'json' };

/** The committed JSON Schema of results.json (`docs/results.schema.json`). */
export const RESULTS_SCHEMA = schema;

const validate = new AjvModule.default({ allErrors: true, strict: true }).compile<Results>(schema);

/** Checks a parsed results.json against the schema; resolves to the problems found (none if valid). */
export function resultsSchemaErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`);
}

/** Reads and validates a results.json; a missing, unparsable or non-conforming file is a HarnessError naming it. */
export async function readResultsFile(file: string): Promise<Results> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new HarnessError(`${file}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const errors = resultsSchemaErrors(parsed);
  if (errors.length) throw new HarnessError(`${file} is not a results.json of schema version ${schema.properties.schemaVersion.const}: ${errors.slice(0, 3).join('; ')}`);
  return parsed as Results;
}
