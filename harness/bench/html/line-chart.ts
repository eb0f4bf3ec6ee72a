import { escapeHtml } from '../../reports/escape.js';
import { linePath, px, type Point } from './path.js';
import { linearScale, logScale, niceTicks, tickLabel, type Scale } from './scale.js';

/** One line of a plot: a server (or the harness beside it), its colour, its figure at each step. */
export interface ChartSeries {
  name: string;
  colour: string;
  /** Dashed: a figure of the harness beside the server's solid line. */
  dashed?: boolean;
  /** One point per step; y null where the step measured nothing (the line breaks there). */
  points: Array<{ x: number; y: number | null }>;
}

export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Counts (deliveries, leaks): integer ticks only. */
  integer?: boolean;
  /** A horizontal line for comparison: the harness's own latency against the echo server. */
  reference?: { label: string; value: number };
  /** How a value reads in a point's tooltip (e.g. "12 ms"). */
  format?: (value: number) => string;
}

export const CHART_WIDTH = 400;
export const CHART_HEIGHT = 270;
const MARGIN = { top: 42, right: 18, bottom: 46, left: 60 } as const;
/** A log x axis once the steps span a decade: 10, 50, 100, 200, 500 users would crowd at the left of a linear one. */
const LOG_FROM_RATIO = 10;

/** The plot's x scale: over the steps' user counts, logarithmic when they span a decade. */
export function xScaleFor(xs: number[]): Scale {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const range = [MARGIN.left + 12, CHART_WIDTH - MARGIN.right - 12] as const;
  return min > 0 && max / min >= LOG_FROM_RATIO ? logScale([min, max], range) : linearScale([min, max], range);
}

/** The plot's y ticks: from zero (a latency's scale starts at nothing) to at least the largest value. */
export function yTicksFor(values: number[], integer: boolean): number[] {
  const max = Math.max(0, ...values);
  if (!integer) return niceTicks(0, max, 5);
  return niceTicks(0, Math.max(1, Math.ceil(max)), Math.min(5, Math.max(1, Math.ceil(max))));
}

/**
 * One line plot as inline SVG: axes with ticks and labels, one line (and a
 * dot per step, so a one-step series still shows) per series, an optional
 * reference line. Presentation attributes only, no style attributes: the
 * page's Content-Security-Policy allows no inline styles but its own sheet.
 */
export function renderLineChart(spec: ChartSpec): string {
  const xs = [...new Set(spec.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ys = spec.series.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y])));
  const format = spec.format ?? tickLabel;
  const titleId = `${spec.id}-title`;
  const out: string[] = [
    `<svg class="chart" id="${escapeHtml(spec.id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" role="img" aria-labelledby="${escapeHtml(titleId)}">`,
    `<text id="${escapeHtml(titleId)}" class="chart-title" x="${MARGIN.left}" y="18" font-weight="600" fill="currentColor">${escapeHtml(spec.title)}</text>`,
  ];
  const bottom = CHART_HEIGHT - MARGIN.bottom;
  const right = CHART_WIDTH - MARGIN.right;
  if (xs.length === 0) {
    out.push(`<text x="${CHART_WIDTH / 2}" y="${CHART_HEIGHT / 2}" text-anchor="middle" fill="currentColor">no step was measured</text>`, '</svg>');
    return out.join('\n');
  }
  const x = xScaleFor(xs);
  const yTicks = yTicksFor([...ys, ...(spec.reference ? [spec.reference.value] : [])], spec.integer ?? false);
  const y = linearScale([yTicks[0]!, yTicks[yTicks.length - 1]!], [bottom, MARGIN.top]);

  out.push('<g class="axis y-axis" font-size="11" fill="currentColor">');
  for (const t of yTicks) {
    out.push(`<line class="grid" x1="${MARGIN.left}" x2="${right}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="currentColor" stroke-opacity="0.15"/>`);
    out.push(`<text class="tick" x="${MARGIN.left - 6}" y="${px(y(t) + 4)}" text-anchor="end">${escapeHtml(tickLabel(t))}</text>`);
  }
  out.push(`<text class="axis-label" transform="translate(14 ${px((MARGIN.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`, '</g>');

  out.push('<g class="axis x-axis" font-size="11" fill="currentColor">');
  out.push(`<line x1="${MARGIN.left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="currentColor"/>`);
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${bottom}" stroke="currentColor"/>`);
  for (const t of xs) {
    out.push(`<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${bottom}" y2="${bottom + 5}" stroke="currentColor"/>`);
    out.push(`<text class="tick" x="${px(x(t))}" y="${bottom + 17}" text-anchor="middle">${escapeHtml(tickLabel(t))}</text>`);
  }
  out.push(`<text class="axis-label" x="${px((MARGIN.left + right) / 2)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`, '</g>');

  if (spec.reference) {
    const ry = px(y(spec.reference.value));
    out.push(
      `<g class="reference"><line x1="${MARGIN.left}" x2="${right}" y1="${ry}" y2="${ry}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="2 3"/>`,
      // The label goes under the title, above the plot, where no line of the plot can cover it.
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + 18}" y1="29" y2="29" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="2 3"/>`,
      `<text x="${MARGIN.left + 24}" y="32" font-size="10" fill="currentColor">${escapeHtml(spec.reference.label)}</text></g>`,
    );
  }

  if (ys.length === 0) {
    out.push(`<text class="no-figure" x="${px((MARGIN.left + right) / 2)}" y="${px((MARGIN.top + bottom) / 2)}" text-anchor="middle" fill="currentColor">not measured for these targets</text>`);
  }
  for (const s of spec.series) {
    const points = s.points.map((p): Point | null => (p.y === null ? null : { x: x(p.x), y: y(p.y) }));
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g class="series" data-series="${escapeHtml(s.name)}">`);
    out.push(`<path class="line" d="${linePath(points)}" fill="none" stroke="${s.colour}" stroke-width="2"${dash}/>`);
    s.points.forEach((p, i) => {
      const at = points[i];
      if (p.y === null || !at) return;
      out.push(`<circle class="point" cx="${px(at.x)}" cy="${px(at.y)}" r="3" fill="${s.colour}"><title>${escapeHtml(`${s.name}, ${p.x} users: ${format(p.y)}`)}</title></circle>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
