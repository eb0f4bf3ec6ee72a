import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** A value a template placeholder takes: JSON, which YAML reads as the same value (lists in flow style). */
export type TemplateValue = string | number | boolean | readonly TemplateValue[];

/**
 * Renders a config template: every `{{name}}` becomes `values[name]` as JSON
 * (YAML-safe: a scalar, or a list in flow style); an unknown placeholder is
 * an error, so a template and its renderer cannot drift apart silently.
 */
export async function renderTemplate(templatePath: string, values: Record<string, TemplateValue>): Promise<string> {
  const template = await readFile(templatePath, 'utf8');
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${path.basename(templatePath)} template uses unknown placeholder ${name}`);
    return JSON.stringify(value);
  });
}
