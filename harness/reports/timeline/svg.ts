import { escapeHtml as h } from '../escape.js';
import { sinceStart } from './build.js';
import type { Act, Lane, Shade, StateSpan, Timeline } from './model.js';

/**
 * Draws a timeline as one inline SVG (no external asset, no script, no
 * style attribute: only presentation attributes, which the report's CSP
 * allows). Times read as seconds from the story's first request; every mark
 * and span carries a <title> with its exchange number and exact time.
 */

const WIDTH = 1000;
const GUTTER = 150;
const RIGHT = 16;
const PLOT = WIDTH - GUTTER - RIGHT;
const AXIS = 40;
const LANE = 40;
const LEGEND = 44;
/** Width (px) one character of the 10 px labels takes, to keep labels of one lane apart. */
const CHAR_PX = 5.6;

/** Colours of the states an observer saw; anything else a server sent is `other`. */
export const STATE_COLOURS: Record<string, string> = { online: '#2da44e', unavailable: '#d4a72c', offline: '#8c959f', other: '#8250df' };
const FAIL = '#cf222e';
const SHADE_COLOURS: Record<Shade['kind'], string> = { idle: '#d4a72c', active: '#0969da', check: '#6e7781', job: '#8250df', wait: '#6e7781' };

const colourOf = (state: string) => STATE_COLOURS[state] ?? STATE_COLOURS.other!;
const n = (v: number) => (Math.round(v * 10) / 10).toString();

/** A tick step (ms) giving at most about 12 ticks over `spanMs`. */
function tickStep(spanMs: number): number {
  const steps = [500, 1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000];
  return steps.find((step) => spanMs / step <= 12) ?? 1_200_000;
}

/** Where a label starting at `x` must start to end inside the plot. */
function fitX(x: number, text: string): number {
  return Math.max(GUTTER, Math.min(x, WIDTH - RIGHT - text.length * CHAR_PX));
}

/**
 * Places labels on one lane's rows (0: above its marks, 1: below), first
 * come first served: a label goes on the first of its rows where it overlaps
 * none placed, else is dropped (its mark keeps its <title>).
 */
class LabelRow {
  private readonly taken = new Map<number, Array<[number, number]>>();
  place(x: number, text: string, rows: readonly number[] = [0]): number | undefined {
    const end = x + text.length * CHAR_PX;
    for (const row of rows) {
      const taken = this.taken.get(row) ?? [];
      if (taken.some(([a, b]) => x < b + 4 && end + 4 > a)) continue;
      taken.push([x, end]);
      this.taken.set(row, taken);
      return row;
    }
    return undefined;
  }
  fits(x: number, text: string, row = 0): boolean {
    return this.place(x, text, [row]) !== undefined;
  }
}

export function renderTimelineSvg(timeline: Timeline, id: string): string {
  const span = Math.max(1, timeline.endMs - timeline.startMs);
  const x = (ms: number) => GUTTER + ((Math.min(Math.max(ms, timeline.startMs), timeline.endMs) - timeline.startMs) / span) * PLOT;
  const at = (ms: number) => sinceStart(timeline, ms);
  const height = AXIS + timeline.lanes.length * LANE + LEGEND;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" id="${h(id)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${h(id)}-title" font-family="system-ui, sans-serif" font-size="10">`,
    `<title id="${h(id)}-title">Timeline of the story, seconds from its first request</title>`,
  );
  out.push(axis(timeline, x, height));
  timeline.lanes.forEach((lane, i) => out.push(laneSvg(lane, AXIS + i * LANE, x, at, timeline.failing?.laneIds.includes(lane.id) ?? false)));
  for (const d of timeline.deadlines) {
    const colour = d.missed ? FAIL : '#57606a';
    out.push(`<g class="deadline"><line x1="${n(x(d.atMs))}" x2="${n(x(d.atMs))}" y1="${AXIS - 4}" y2="${AXIS + timeline.lanes.length * LANE}" stroke="${colour}" stroke-dasharray="4 3"/><title>${h(d.label)} at ${at(d.atMs)}</title></g>`);
  }
  if (timeline.failing) out.push(failing(timeline, x, at));
  out.push(legend(AXIS + timeline.lanes.length * LANE + 14));
  out.push('</svg>');
  return out.join('\n');
}

function axis(timeline: Timeline, x: (ms: number) => number, height: number): string {
  const step = tickStep(timeline.endMs - timeline.startMs);
  const parts = [`<g class="axis" fill="currentColor">`, `<text x="4" y="${AXIS - 12}" font-weight="600">seconds from start</text>`];
  for (let t = 0; timeline.startMs + t <= timeline.endMs; t += step) {
    const px = n(x(timeline.startMs + t));
    parts.push(`<line x1="${px}" x2="${px}" y1="${AXIS - 6}" y2="${height - LEGEND}" stroke="#d0d7de" stroke-width="0.6"/><text x="${px}" y="${AXIS - 10}" text-anchor="middle">${+(t / 1000).toFixed(1)} s</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

function laneSvg(lane: Lane, top: number, x: (ms: number) => number, at: (ms: number) => string, failingLane: boolean): string {
  const mid = top + 22;
  const parts = [
    `<g class="lane" data-lane="${h(lane.kind)}" data-label="${h(lane.label)}">`,
    `<line x1="${GUTTER}" x2="${WIDTH - RIGHT}" y1="${top + LANE}" y2="${top + LANE}" stroke="#d0d7de" stroke-width="0.5"/>`,
    `<text x="6" y="${mid + 3}" fill="${failingLane ? FAIL : 'currentColor'}" font-size="11" font-weight="${lane.kind === 'device' || lane.kind === 'observer' ? 600 : 400}">${laneLabel(lane.label, mid)}<title>${h(lane.label)}</title></text>`,
  ];
  const labels = new LabelRow();
  // A missed wait's label first: it says what the story waited for in vain.
  const shades = [...lane.shades].sort((a, b) => Number(b.missed ?? false) - Number(a.missed ?? false));
  for (const shade of shades) parts.push(shadeSvg(shade, top, x, at, labels));
  for (const span of lane.spans) parts.push(spanSvg(span, mid, x, at, labels));
  for (const act of lane.acts) parts.push(actSvg(act, mid, x, at, labels));
  for (const edu of lane.edus) {
    const px = n(x(edu.atMs));
    const text = `${edu.label} ${at(edu.atMs)}`;
    const lx = fitX(x(edu.atMs) + 6, text);
    const row = labels.place(lx, text, [0, 1]);
    parts.push(`<g class="edu"><path d="M${px} ${mid - 6} l5 6 l-5 6 l-5 -6 z" fill="${colourOf(edu.state)}" stroke="#24292f" stroke-width="0.6"/>${row === undefined ? '' : `<text x="${n(lx)}" y="${row ? mid + 16 : mid - 8}" fill="currentColor">${h(text)}</text>`}<title>EDU #${edu.seq}: ${h(edu.label)}${edu.currentlyActive ? ', currently_active' : ''} at ${at(edu.atMs)}</title></g>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** A lane's label, cut to the gutter; a link's on two lines (from, to), as server names are long. */
function laneLabel(label: string, mid: number): string {
  const cut = (text: string) => h(text.length > 26 ? `${text.slice(0, 25)}…` : text);
  const link = /^link (.*) -> (.*)$/.exec(label) ?? /^link between (.*) and (.*)$/.exec(label);
  if (!link) return cut(label);
  const arrow = label.startsWith('link between') ? '⇄' : '→';
  return `<tspan x="6" y="${mid - 3}">${cut(`link ${link[1]}`)}</tspan><tspan x="6" y="${mid + 10}">${cut(`${arrow} ${link[2]}`)}</tspan>`;
}

function shadeSvg(shade: Shade, top: number, x: (ms: number) => number, at: (ms: number) => string, labels: LabelRow): string {
  const colour = shade.missed ? FAIL : SHADE_COLOURS[shade.kind];
  const x0 = x(shade.fromMs);
  const w = Math.max(1.5, x(shade.toMs) - x0);
  const instant = shade.kind === 'check' || shade.kind === 'job';
  const [y, hgt] = shade.kind === 'active' ? [top + 22, 12] : shade.kind === 'check' ? [top + LANE - 14, 12] : instant ? [top + 4, LANE - 8] : shade.kind === 'idle' ? [top + 4, 14] : [top + 8, 18];
  const text = instant ? (shade.kind === 'job' ? 'periodic job' : '') : `${shade.label} ${at(shade.fromMs)}–${at(shade.toMs)}`;
  const row = shade.kind === 'active' ? 1 : 0;
  const lx = fitX(x0 + 2, text);
  const label = text && labels.fits(lx, text, row) ? `<text x="${n(lx)}" y="${shade.kind === 'active' ? top + 31 : shade.kind === 'idle' ? top + 14 : top + 20}" fill="currentColor" font-size="9">${h(text)}</text>` : '';
  return `<g class="shade" data-kind="${shade.kind}"${shade.missed ? ' data-missed="true"' : ''}><rect x="${n(x0)}" y="${y}" width="${n(w)}" height="${hgt}" fill="${colour}" fill-opacity="${instant ? 0.7 : 0.2}" stroke="${colour}" stroke-width="${shade.missed ? 1.2 : 0.6}"/>${label}<title>${h(shade.label)}: ${at(shade.fromMs)} to ${at(shade.toMs)}${shade.missed ? ' (ended at its deadline without what it waited for)' : ''}</title></g>`;
}

/**
 * Diagonal stripes over the rectangle (x0, y0, w, hgt), as one path: the
 * hatch of currently_active, drawn without a <pattern> (a url() reference the
 * report's no-external-asset check would have to tell from a fetch).
 */
function hatchPath(x0: number, y0: number, w: number, hgt: number): string {
  const x1 = x0 + w;
  const bottom = y0 + hgt;
  const d: string[] = [];
  for (let a = x0 - hgt; a < x1; a += 5) {
    const sx = Math.max(a, x0);
    const ex = Math.min(a + hgt, x1);
    if (sx < ex) d.push(`M${n(sx)} ${n(bottom - (sx - a))}L${n(ex)} ${n(bottom - (ex - a))}`);
  }
  return `<path class="hatch" d="${d.join('')}" stroke="#ffffff" stroke-opacity="0.6" stroke-width="1.6" fill="none"/>`;
}

function spanSvg(span: StateSpan, mid: number, x: (ms: number) => number, at: (ms: number) => string, labels: LabelRow): string {
  const x0 = x(span.fromMs);
  const w = Math.max(2, x(span.toMs) - x0);
  const text = `${span.state}${span.currentlyActive ? ' (active)' : ''} ${at(span.fromMs)}`;
  const ticks = span.observations.map((o) => `<line x1="${n(x(o.atMs))}" x2="${n(x(o.atMs))}" y1="${mid + 7}" y2="${mid + 11}" stroke="currentColor" stroke-width="0.8"/>`).join('');
  const seen = span.observations.map((o) => `#${o.seq} ${o.via} ${at(o.atMs)}${o.lastActiveAgo === undefined ? '' : ` (last_active_ago ${o.lastActiveAgo} ms)`}`).join('; ');
  return [
    `<g class="span" data-state="${h(span.state)}"${span.currentlyActive ? ' data-currently-active="true"' : ''}>`,
    `<rect x="${n(x0)}" y="${mid - 7}" width="${n(w)}" height="14" fill="${colourOf(span.state)}"/>`,
    span.currentlyActive ? hatchPath(x0, mid - 7, w, 14) : '',
    ticks,
    labels.fits(fitX(x0, text), text) ? `<text x="${n(fitX(x0, text))}" y="${mid - 10}" fill="currentColor">${h(text)}</text>` : '',
    `<title>seen ${h(span.state)}${span.currentlyActive ? ', currently_active' : ''} from ${at(span.fromMs)} to ${at(span.toMs)}: ${h(seen)}</title>`,
    '</g>',
  ].join('');
}

function actSvg(act: Act, mid: number, x: (ms: number) => number, at: (ms: number) => string, labels: LabelRow): string {
  const px = x(act.atMs);
  const stroke = act.refused ? FAIL : '#24292f';
  const opacity = act.setup ? 0.45 : 1;
  const title = `<title>#${act.seq} ${h(act.label)} at ${at(act.atMs)} (${act.endMs - act.atMs} ms, status ${act.status || 'none'})${act.setup ? ', set-up step' : ''}</title>`;
  if (act.kind === 'sync') {
    const w = Math.max(1.5, x(act.endMs) - px);
    const named = act.label !== 'sync';
    const text = `${act.label} ${at(act.atMs)}`;
    const lx = fitX(px, text);
    const row = named ? labels.place(lx, text, [0, 1]) : undefined;
    const label = row === undefined ? '' : `<text x="${n(lx)}" y="${row ? mid + 16 : mid - 8}" fill="currentColor">${h(text)}</text>`;
    return `<g class="act" data-kind="sync" opacity="${opacity}"><rect x="${n(px)}" y="${mid - 2}" width="${n(w)}" height="4" fill="#8c959f" stroke="${act.refused ? FAIL : 'none'}"/>${label}${title}</g>`;
  }
  const colour = act.kind === 'put' ? colourOf(act.label.split(' ')[1] ?? '') : act.kind === 'message' ? '#0969da' : '#57606a';
  const shape =
    act.kind === 'put' ? `<path d="M${n(px)} ${mid - 7} l6 12 h-12 z" fill="${colour}" stroke="${stroke}" stroke-width="${act.refused ? 1.6 : 0.8}"/>`
      : act.kind === 'message' ? `<circle cx="${n(px)}" cy="${mid}" r="5" fill="${colour}" stroke="${stroke}" stroke-width="${act.refused ? 1.6 : 0.8}"/>`
        : `<rect x="${n(px - 4)}" y="${mid - 4}" width="8" height="8" fill="${colour}" stroke="${stroke}" stroke-width="${act.refused ? 1.6 : 0.8}"/>`;
  const text = `${act.label} ${at(act.atMs)}`;
  const lx = fitX(px + 7, text);
  const row = act.setup ? undefined : labels.place(lx, text, [0, 1]);
  const label = row === undefined ? '' : `<text x="${n(lx)}" y="${row ? mid + 16 : mid - 8}" fill="${act.refused ? FAIL : 'currentColor'}">${h(text)}</text>`;
  return `<g class="act" data-kind="${act.kind}"${act.refused ? ' data-refused="true"' : ''} opacity="${opacity}">${shape}${label}${title}</g>`;
}

function failing(timeline: Timeline, x: (ms: number) => number, at: (ms: number) => string): string {
  const f = timeline.failing!;
  const x0 = x(f.fromMs) - 4;
  const w = Math.max(8, x(f.toMs) - x(f.fromMs) + 8);
  const rows = timeline.lanes.map((l, i) => ({ l, i })).filter(({ l }) => f.laneIds.includes(l.id));
  const boxes = (rows.length ? rows : timeline.lanes.map((l, i) => ({ l, i })))
    .map(({ i }) => `<rect x="${n(x0)}" y="${AXIS + i * LANE + 2}" width="${n(w)}" height="${LANE - 4}" fill="none" stroke="${FAIL}" stroke-width="2.5" rx="3"/>`)
    .join('');
  const text = `✗ failing observation ${at(f.fromMs) === at(f.toMs) ? at(f.toMs) : `${at(f.fromMs)}–${at(f.toMs)}`} (${f.seqs.length ? `#${f.seqs.join(', #')}` : 'nothing found'})`;
  // Bold 11 px text is wider than the lanes' labels.
  const tx = Math.min(x0, WIDTH - RIGHT - text.length * CHAR_PX * 1.25);
  return `<g class="failing" data-seqs="${f.seqs.join(' ')}">${boxes}<text x="${n(Math.max(GUTTER, tx))}" y="${AXIS - 26}" fill="${FAIL}" font-weight="600" font-size="11">${h(text)}</text><title>${h(`${text}: ${f.why}`)}</title></g>`;
}

function legend(y: number): string {
  const items: string[] = [];
  let px = 6;
  const item = (swatch: string, text: string) => {
    items.push(`${swatch.replaceAll('{x}', n(px))}<text x="${n(px + 16)}" y="${y + 9}" fill="currentColor">${h(text)}</text>`);
    px += 22 + text.length * CHAR_PX;
  };
  for (const [state, colour] of Object.entries(STATE_COLOURS)) item(`<rect x="{x}" y="${y}" width="12" height="10" fill="${colour}"/>`, state === 'other' ? 'other state' : state);
  item(`<rect x="{x}" y="${y}" width="12" height="10" fill="${STATE_COLOURS.online}"/>${hatchPath(px, y, 12, 10)}`, 'currently_active');
  item(`<rect x="{x}" y="${y}" width="12" height="10" fill="${SHADE_COLOURS.idle}" fill-opacity="0.3"/>`, 'idle threshold');
  item(`<rect x="{x}" y="${y}" width="12" height="10" fill="${SHADE_COLOURS.active}" fill-opacity="0.3"/>`, 'active window');
  item(`<rect x="{x}" y="${y}" width="4" height="10" fill="${SHADE_COLOURS.job}"/>`, 'server job');
  item(`<line x1="{x}" x2="{x}" y1="${y - 2}" y2="${y + 12}" stroke="${FAIL}" stroke-dasharray="3 2"/>`, 'missed deadline');
  item(`<path d="M{x} ${y} m6 0 l6 10 h-12 z" fill="#8c959f"/>`, 'PUT');
  item(`<rect x="{x}" y="${y}" width="12" height="10" rx="5" fill="#0969da"/>`, 'message');
  return `<g class="legend">${items.join('')}</g>`;
}
