/**
 * The fixture bench.json for the page's tests: three servers × four steps,
 * figures invented to exercise every part of the page (a late delivery, a
 * missing one, a leak whose evidence carries markup, a step stopped early).
 * Not measured: never quote its numbers.
 */
import { readFileSync } from 'node:fs';
import type { BenchResults } from '../model.js';

export const FIXTURE_BENCH = new URL('../../../fixtures/bench/three-servers.json', import.meta.url).pathname;

/** A fresh copy each call: tests may change it. */
export function fixtureBench(): BenchResults {
  return JSON.parse(readFileSync(FIXTURE_BENCH, 'utf8')) as BenchResults;
}
