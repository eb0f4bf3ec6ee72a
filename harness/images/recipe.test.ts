import { describe, expect, it } from 'vitest';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { DENDRITE_TIMINGS } from '../targets/dendrite/timings.js';
import { baseRecipeHash, debianMirror } from './base-image.js';
import { commitChanges, serverRecipe } from './build-server-image.js';
import { canonicalJson } from '../canonical-json.js';
import { labelChange, recipeHash, serverImageLabels } from './recipe.js';
import { LABEL } from '../targets/docker/labels.js';
import { dendriteSpec } from '../targets/dendrite/image.js';
import { synapseSpec } from '../targets/synapse/image.js';

describe('recipe hash', () => {
  it('is the same whatever the key order, and changes with any part', () => {
    expect(recipeHash({ a: 1, b: { c: 'x', d: [1, 2] } })).toBe(recipeHash({ b: { d: [1, 2], c: 'x' }, a: 1 }));
    expect(recipeHash({ a: 1 })).not.toBe(recipeHash({ a: 2 }));
    expect(recipeHash({ a: [1, 2] })).not.toBe(recipeHash({ a: [2, 1] }));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
    expect(recipeHash({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('of a server image covers its template, timings, build values and base', () => {
    const synapse = synapseSpec();
    const base = baseRecipeHash();
    const hash = serverRecipe(synapse, base);
    expect(serverRecipe(synapseSpec(), base)).toBe(hash);
    expect(serverRecipe(synapse, 'another base')).not.toBe(hash);
    expect(serverRecipe({ ...synapse, timings: { ...synapse.timings, idleTimeoutMs: 1 } }, base)).not.toBe(hash);
    expect(serverRecipe({ ...synapse, build: { ...synapse.build, values: { ...synapse.build.values, bcryptRounds: 12 } } }, base)).not.toBe(hash);
    expect(serverRecipe({ ...synapse, templateFile: dendriteSpec('').templateFile }, base)).not.toBe(hash);
    // The Dendrite binary's path on this machine is not part of what the image is.
    expect(serverRecipe(dendriteSpec('/a/dendrite'), base)).toBe(serverRecipe(dendriteSpec('/b/dendrite'), base));
  });
});

describe('image labels', () => {
  it('carry the contract: recipe, server version, env names and the timings as JSON', () => {
    const labels = serverImageLabels({ recipe: 'abc', serverVersion: 'Synapse 1.163.2', timings: SYNAPSE_TIMINGS });
    expect(labels).toEqual({
      'org.matrix.presence-conformance.recipe': 'abc',
      'org.matrix.presence-conformance.server-version': 'Synapse 1.163.2',
      'org.matrix.presence-conformance.port-env': 'PORT',
      'org.matrix.presence-conformance.bind-env': 'BIND_ADDRESS',
      'org.matrix.presence-conformance.timings': JSON.stringify(SYNAPSE_TIMINGS),
    });
    expect(JSON.parse(serverImageLabels({ recipe: 'abc', serverVersion: 'Dendrite 0.13.8', timings: DENDRITE_TIMINGS })[LABEL.timings]!)).toEqual(DENDRITE_TIMINGS);
  });

  it('become LABEL instructions whose quoting survives JSON, spaces and dollars', () => {
    expect(labelChange('a.b', 'Synapse 1.163.2')).toBe('LABEL a.b="Synapse 1.163.2"');
    expect(labelChange('a.b', '{"x":1}')).toBe('LABEL a.b="{\\"x\\":1}"');
    expect(labelChange('a.b', 'a\\b $HOME')).toBe('LABEL a.b="a\\\\b \\$HOME"');
    expect(() => labelChange('A B', 'x')).toThrow(/label key/);
    expect(() => labelChange('a.b', 'x\ny')).toThrow(/span lines/);
  });

  it('and the entrypoint, env defaults and working dir are set at commit', () => {
    const changes = commitChanges({ k: 'v' });
    expect(changes).toContain('ENTRYPOINT ["/usr/bin/python3", "/opt/presence-conformance/entrypoint.py"]');
    expect(changes).toContain('WORKDIR /data');
    expect(changes).toContainEqual(expect.stringMatching(/^ENV PATH=\S+ PORT=8008 BIND_ADDRESS=0\.0\.0\.0$/));
    expect(changes).toContain('LABEL k="v"');
  });
});

describe('debianMirror', () => {
  it('falls back to deb.debian.org when no apt sources can be read', () => {
    expect(debianMirror(['/nonexistent/sources'])).toBe('http://deb.debian.org/debian');
  });
});
