/**
 * JSON with object keys sorted at every level and no whitespace, so equal
 * values serialise equally whatever their key order: what the image recipe
 * hashes, and the Matrix canonical JSON that federation requests are signed
 * over (keys sorted by code point; the keys this project signs are ASCII).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
