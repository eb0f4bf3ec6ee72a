import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.js';

/** The report page's only style sheet, inlined. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --error: #9a6700; --skip: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { display: inline; font-size: 1rem; margin: 0; }
.meta { color: var(--skip); margin-top: 0; }
[hidden] { display: none !important; }
.banner { border: 1px solid var(--line); border-left-width: 6px; padding: .5rem 1rem; margin: 1rem 0; }
.banner.bad { border-left-color: var(--fail); }
.banner.good { border-left-color: var(--pass); }
.banner.warn { border-left-color: var(--error); }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .2rem .6rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
form#filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; position: sticky; top: 0; background: Canvas; padding: .5rem 0; border-bottom: 1px solid var(--line); z-index: 1; }
fieldset { border: 1px solid var(--line); margin: 0; padding: .2rem .6rem; }
.req { border: 1px solid var(--line); border-left-width: 6px; margin: .75rem 0; padding: .5rem 1rem; }
.req[data-verdict=pass] { border-left-color: var(--pass); }
.req[data-verdict=fail] { border-left-color: var(--fail); }
.req[data-verdict=error] { border-left-color: var(--error); }
.req[data-verdict=skip] { border-left-color: var(--skip); }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .4rem; border-radius: .25rem; color: #fff; background: var(--skip); }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.error { background: var(--error); }
.badge.level { background: transparent; color: inherit; border: 1px solid var(--line); }
.badge.flaky { background: #6f42c1; }
ul.runs { list-style: none; padding-left: 1rem; margin: .2rem 0; font-size: .85rem; }
blockquote { margin: .5rem 0; padding-left: .75rem; border-left: 3px solid var(--line); color: var(--skip); }
ul.tests { list-style: none; padding-left: 0; }
ul.tests > li { margin: .35rem 0; }
.dur { color: var(--skip); font-size: .85em; }
pre { white-space: pre-wrap; word-break: break-word; background: color-mix(in srgb, Canvas 92%, CanvasText); padding: .4rem .6rem; margin: .25rem 0; max-height: 24rem; overflow: auto; font-size: 12px; }
details { margin: .25rem 0 .25rem 1rem; }
.exchange pre.request::before { content: "request body\\A"; font-weight: 600; }
.exchange pre.response::before { content: "response body\\A"; font-weight: 600; }
.exchange .line { font-family: ui-monospace, monospace; font-size: 12px; font-weight: 600; }
.expected { color: var(--error); }
figure.timeline { margin: .5rem 0 .5rem 1rem; }
.timeline-scroll { overflow-x: auto; }
figure.timeline svg { display: block; background: Canvas; }
figure.timeline figcaption { color: var(--skip); font-size: .85em; }
`;

/** The verdict and level filters: shows or hides requirements and empty areas, counts what is shown. */
export const REPORT_JS = `
(function () {
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  var all = document.querySelectorAll('.req');
  function checked(name) {
    var set = {};
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (i) { set[i.value] = true; });
    return set;
  }
  function update() {
    var verdicts = checked('verdict'), levels = checked('level'), count = 0;
    all.forEach(function (el) {
      var visible = !!verdicts[el.dataset.verdict] && !!levels[el.dataset.level];
      el.hidden = !visible;
      if (visible) count++;
    });
    document.querySelectorAll('section.area').forEach(function (s) { s.hidden = !s.querySelector('.req:not([hidden])'); });
    shown.textContent = count + ' of ' + all.length + ' requirements shown';
  }
  form.hidden = false;
  form.addEventListener('change', update);
  update();
})();
`;

/** A Content-Security-Policy that lets only these inline assets run and forbids every fetch. */
export function contentSecurityPolicy(css: string, js: string): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return `default-src 'none'; style-src ${hash(css)}; script-src ${js ? hash(js) : "'none'"}; img-src data:; form-action 'none'; base-uri 'none'`;
}

/**
 * A complete, self-contained HTML document: inline style (and script, if
 * given) pinned by hash in a CSP that blocks every network request.
 * `title` is escaped here; `body` must already be escaped markup. `css`
 * is the page's whole stylesheet (the report's, unless a page adds to it).
 */
export function htmlDocument(title: string, body: string, script?: string, css: string = REPORT_CSS): string {
  const csp = contentSecurityPolicy(css, script ?? '');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    body,
    ...(script ? [`<script>${script}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
