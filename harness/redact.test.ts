import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText, registerSecret } from './redact.js';

describe('redact', () => {
  it('masks secret-bearing keys at any depth', () => {
    const out = redact({ user: 'alice', password: 'hunter22', nested: [{ access_token: 'syt_abc', mac: 'ff' }] });
    expect(out).toEqual({ user: 'alice', password: REDACTED, nested: [{ access_token: REDACTED, mac: REDACTED }] });
  });

  it('replaces registered secrets wherever they occur in text', () => {
    registerSecret('s3cr3t-token-value');
    expect(redactText('Bearer s3cr3t-token-value failed')).toBe(`Bearer ${REDACTED} failed`);
    expect(redact({ message: 'x s3cr3t-token-value y' })).toEqual({ message: `x ${REDACTED} y` });
  });

  it('redacts access_token query parameters even when unregistered', () => {
    expect(redactText('/sync?access_token=abc123&timeout=0')).toBe(`/sync?access_token=${REDACTED}&timeout=0`);
  });

  it('ignores values too short to be secrets, so ordinary text survives', () => {
    registerSecret('ab');
    expect(redactText('about')).toBe('about');
  });
});
