/**
 * Scrubs secrets from anything that may reach a report or a log. Two layers:
 * keys that always hold secrets are masked wherever they appear, and every
 * string registered as a secret (tokens, passwords, the shared secret) is
 * replaced wherever it occurs, including inside URLs and error messages.
 */

import { appendFileSync } from 'node:fs';

export const REDACTED = '<redacted>';

const SECRET_KEYS = new Set([
  'access_token',
  'refresh_token',
  'password',
  'new_password',
  'mac',
  'registration_shared_secret',
  'token',
  'authorization',
]);

const secrets = new Set<string>();

/**
 * TEST-ONLY: the redaction test (harness/reports/redaction.test.ts) sets this
 * to a file outside the report directory, so it learns every secret of the
 * run it starts and can prove none reached a report. Each process or worker
 * thread that registers a secret appends it there, one per line, in plain
 * text: never set this outside that test.
 */
export const TEST_SECRETS_FILE_ENV = 'PRESENCE_CONFORMANCE_TEST_SECRETS_FILE';

/** Registers a value that must never be written anywhere. */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact innocent text; real secrets are long.
  if (!value || value.length < 6 || secrets.has(value)) return;
  secrets.add(value);
  const testSink = process.env[TEST_SECRETS_FILE_ENV];
  if (testSink) appendFileSync(testSink, `${value}\n`);
}

/** Replaces every registered secret occurring in `text`. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(/([?&]access_token=)[^&\s"]+/g, `$1${REDACTED}`);
}

/** Deep copy of `value` with secret keys masked and secret strings replaced. */
export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEYS.has(key.toLowerCase()) && inner != null ? REDACTED : walk(inner);
    }
    return out;
  }
  return value;
}
