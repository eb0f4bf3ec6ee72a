/** SVG path data for a plot's lines: pure, so unit tests can read the geometry. */

export interface Point {
  x: number;
  y: number;
}

/** A pixel coordinate rounded to a tenth: enough for a screen, short in the file. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The `d` of a polyline through `points`. A missing point (null: a step that
 * measured nothing, a figure the target cannot give) breaks the line rather
 * than joining its neighbours across the gap, so no value is invented.
 */
export function linePath(points: ReadonlyArray<Point | null>): string {
  const parts: string[] = [];
  let pen = false;
  for (const p of points) {
    if (p === null) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${px(p.x)},${px(p.y)}`);
    pen = true;
  }
  return parts.join('');
}
