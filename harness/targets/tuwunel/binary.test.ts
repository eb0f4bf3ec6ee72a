import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedSecretRegistration, parseTuwunelVersion, probeTuwunelBinary } from './binary.js';

describe('the tuwunel binary', () => {
  it('is refused when --version does not say tuwunel, naming what it printed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pc-tuwunel-binary-'));
    try {
      const silent = path.join(dir, 'silent');
      await writeFile(silent, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
      expect(() => probeTuwunelBinary(silent)).toThrow(/silent is not tuwunel: `--version` printed nothing \(exit 3\)/);
      expect(() => probeTuwunelBinary('/bin/true')).toThrow(/\/bin\/true is not tuwunel: `--version` printed "[^"]+" \(exit 0\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads its version, and knows shared-secret registration from 1.7 on', () => {
    expect(parseTuwunelVersion('tuwunel 1.4.6\n')).toBe('1.4.6');
    expect(parseTuwunelVersion('conduwuit 0.5.0')).toBeUndefined();
    expect(hasSharedSecretRegistration('1.4.6')).toBe(false);
    expect(hasSharedSecretRegistration('1.7.0')).toBe(true);
    expect(hasSharedSecretRegistration('2.0.1')).toBe(true);
  });
});
