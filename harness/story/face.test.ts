import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * The face's two promises (docs/writing-suites.md, "The face"), kept by a
 * test so a convenient import does not quietly break them: suites import
 * only the face's index (and vitest), and the face imports nothing of the
 * machinery, only itself and the ground floor beneath both.
 */

const STORY = path.dirname(fileURLToPath(import.meta.url));
const HARNESS = path.dirname(STORY);
const ROOT = path.dirname(HARNESS);

/** Files of `harness/` beneath both the face and the machinery: they import neither. */
const GROUND_FLOOR = ['catalogue.ts', 'requirement-ids.ts', 'timings.ts', 'errors.ts', 'redact.ts', 'user-id.ts', 'canonical-json.ts', 'tls/'];

function sourceFiles(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter(keep);
}

/** The relative modules a file imports (static, dynamic and type-only imports, re-exports). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => path.resolve(path.dirname(file), match[1]!));
}

/** Every import of `files` that `allowed` refuses, as "file -> module" (paths from the repository's root). */
function refused(files: readonly string[], allowed: (target: string) => boolean): string[] {
  return files.flatMap((file) => relativeImports(file).filter((target) => !allowed(target)).map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`));
}

describe('the story face', () => {
  test('nothing of the face (its tests aside) imports the machinery', () => {
    const face = sourceFiles(STORY, (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(face.length).toBeGreaterThan(20);
    const inFaceOrGround = (target: string) => {
      const inHarness = path.relative(HARNESS, target).split(path.sep).join('/');
      return inHarness.startsWith('story/') || GROUND_FLOOR.some((ground) => (ground.endsWith('/') ? inHarness.startsWith(ground) : inHarness === ground.replace(/\.ts$/, '.js')));
    };
    expect(refused(face, inFaceOrGround)).toEqual([]);
  });

  test('suites import only the face\'s index', () => {
    const suites = sourceFiles(path.join(ROOT, 'suites'), (file) => file.endsWith('.test.ts'));
    expect(suites.length).toBeGreaterThan(20);
    const index = path.join(STORY, 'index.js');
    expect(refused(suites, (target) => target === index)).toEqual([]);
  });
});
