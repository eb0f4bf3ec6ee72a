/**
 * Reads bench.json back (to render the page anew, or screenshot it): checks
 * the shape the page relies on and says in one line what is wrong, rather
 * than drawing a page of NaN.
 */
import { readFile } from 'node:fs/promises';
import { HarnessError } from '../../errors.js';
import type { BenchResults } from '../model.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first thing wrong with `value` as bench.json, or undefined. */
export function benchShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.schemaVersion !== 1) return `schemaVersion ${JSON.stringify(value.schemaVersion)} is not 1`;
  for (const key of ['machine', 'params'] as const) if (!isObject(value[key])) return `"${key}" is missing`;
  if (!Array.isArray(value.targets)) return '"targets" is not a list';
  for (const [i, t] of value.targets.entries()) {
    if (!isObject(t) || typeof t.target !== 'string' || !Array.isArray(t.steps)) return `targets[${i}] has no "target" name or "steps" list`;
    for (const [k, s] of t.steps.entries()) {
      if (!isObject(s) || typeof s.users !== 'number' || !isObject(s.latency) || !Array.isArray(s.leaks)) return `targets[${i}].steps[${k}] has no "users", "latency" or "leaks"`;
    }
  }
  return undefined;
}

export async function readBenchFile(file: string): Promise<BenchResults> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HarnessError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HarnessError(`${file} is not JSON`);
  }
  const problem = benchShapeProblem(value);
  if (problem) throw new HarnessError(`${file} is not a bench.json: ${problem}`);
  return value as BenchResults;
}
