import { describe, expect, test } from 'vitest';
import { renderJunit } from './junit.js';
import { renderSummaryMarkdown } from './summary-md.js';
import { resultsSchemaErrors } from './results-schema.js';
import { fixtureInput } from './test-fixture.js';

/** The fixture, with its harness error turned into an inconclusive precondition. */
function inconclusiveInput() {
  const input = fixtureInput();
  const test = input.results.requirements.find((r) => r.id === 'PRES-IDLE-AUTO')!.tests[0]!;
  Object.assign(test, {
    message: 'inconclusive: bob sees alice unavailable, as she set herself, see PRES-IDLE-MANUAL\ntimed out after 7000 ms',
    inconclusive: { reason: 'bob sees alice unavailable, as she set herself', see: 'PRES-IDLE-MANUAL' },
  });
  return input;
}

describe('an inconclusive test in the reports', () => {
  test('results.json carries its cause and the requirement that explains it (schema-valid)', () => {
    expect(resultsSchemaErrors(inconclusiveInput().results)).toEqual([]);
  });

  test('JUnit types it as inconclusive, naming the requirement; summary.md shows the cause once', () => {
    expect(renderJunit(inconclusiveInput())).toContain('type="inconclusive, see PRES-IDLE-MANUAL"');
    const md = renderSummaryMarkdown(inconclusiveInput());
    expect(md).toContain('inconclusive: bob sees alice unavailable, as she set herself, see PRES-IDLE-MANUAL');
    expect(md).not.toContain('could not be checked: inconclusive');
  });
});
