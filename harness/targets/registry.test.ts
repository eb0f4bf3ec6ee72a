import { describe, expect, it } from 'vitest';
import { SYNAPSE_TIMINGS } from './synapse/timings.js';
import { TARGET_KINDS, binaryEnv, binaryFamilies, definitionOf, kindsThat, stamped, targetKind } from './registry.js';

describe('the target registry', () => {
  it('stamps the --target a started server was reached by (a family never names itself)', () => {
    const server = { baseUrl: 'http://127.0.0.1:1', serverVersion: 'X 1', registration: { kind: 'open' as const }, timings: SYNAPSE_TIMINGS, startedAt: 1, stop: async () => {} };
    expect(stamped('dendrite', server)).toMatchObject({ kind: 'dendrite', baseUrl: 'http://127.0.0.1:1' });
  });

  it('pairs only families that declare they federate, and registered ones', () => {
    for (const kind of TARGET_KINDS) {
      const definition = definitionOf(kind);
      if (definition.type !== 'pair') continue;
      for (const member of [definition.first, definition.second]) {
        const family = definitionOf(targetKind(member));
        expect(family.type, `${kind}: ${member}`).toBe('embedded');
        expect(family.capabilities.federate, `${kind}: ${member} federates`).toBe(true);
      }
    }
  });

  it('reads capabilities, not names: who disables presence, who takes a binary, who has an image', () => {
    expect(kindsThat((d) => d.capabilities.disablePresence)).toEqual(['synapse']);
    expect(kindsThat((d) => d.capabilities.image !== undefined)).toEqual(['synapse', 'dendrite']);
    expect(binaryFamilies('dendrite')).toEqual(['dendrite']);
    expect(binaryFamilies('dendrite+synapse')).toEqual(['dendrite']);
    expect(binaryFamilies('synapse')).toEqual([]);
    expect(binaryEnv('dendrite')).toBe('PRESENCE_DENDRITE_BINARY');
  });

  it('gives every family that has an image a recipe whose image names the family', () => {
    for (const kind of kindsThat((d) => d.capabilities.image !== undefined)) {
      expect(definitionOf(kind).capabilities.image!.spec().image).toMatch(new RegExp(`^presence-conformance/${kind}:`));
    }
  });
});
