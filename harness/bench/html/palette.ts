/**
 * One colour per server, the same on every plot of the page: the Okabe-Ito
 * palette, told apart by readers with the common colour-vision deficiencies
 * and readable on light and dark backgrounds.
 */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7F7F7F', '#F0E442'] as const;

/** The colour of the `index`-th server (wrapping past the palette's end). */
export function seriesColour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
