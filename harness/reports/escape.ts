/**
 * Escaping for every text a report embeds. Server-provided text (error
 * messages, response bodies, the server's version string) reaches reports,
 * so nothing is ever written without going through one of these.
 */

// Characters XML 1.0 forbids outright; a server could send them in a body.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escapes text for XML content and attributes, dropping characters XML cannot carry. */
export function escapeXml(text: string): string {
  return escapeHtml(text.replace(XML_INVALID, '\uFFFD')).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Escapes text for XML element content (newlines kept as they are). */
export function escapeXmlContent(text: string): string {
  return escapeHtml(text.replace(XML_INVALID, '\uFFFD'));
}

/**
 * Makes text inert in GitHub-flavoured Markdown, inline (never at the start
 * of a line): HTML tags become entities, emphasis, code, link and table
 * punctuation is backslash-escaped and newlines become spaces, so a server's
 * message can neither inject markup nor break a table.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}

/** The first line of `text`, shortened to `max` characters. */
export function oneLine(text: string | undefined, max = 200): string {
  const line = (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
