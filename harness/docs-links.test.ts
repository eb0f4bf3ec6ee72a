import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README_MAX_BYTES = 12 * 1024;

/** README.md and every Markdown file under docs/, relative to the root. */
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The relative targets of a Markdown file's links, inline `](x)` and reference `[n]: x`, without their #anchor. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/^\[[^\]]+\]: (\S+)$/gm)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#')).map((t) => decodeURIComponent(t.split('#')[0]!));
}

describe('README and docs', () => {
  it('README.md is at most 12 KB: a newcomer reads it; the detail is in docs/', () => {
    expect(statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('every relative link of README.md and docs/ points at a file or folder that exists', () => {
    const broken: string[] = [];
    let links = 0;
    for (const doc of DOCS) {
      for (const target of relativeLinks(readFileSync(path.join(ROOT, doc), 'utf8'))) {
        links += 1;
        // A doc may be a symlink to a family's README (docs/targets/): its links are relative to where it lives.
        if (!existsSync(path.resolve(path.dirname(realpathSync(path.join(ROOT, doc))), target))) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(50);
  });
});
