import type { EvidenceFile } from '../../results/model.js';
import { escapeHtml as h } from '../escape.js';
import { buildTimeline, sinceStart, type TimelineFacts } from './build.js';
import { renderTimelineSvg } from './svg.js';

/**
 * A story's timeline as report.html shows it: the SVG and a caption saying
 * when the story started, what failed where, and what could not be drawn.
 * Empty when the evidence recorded no exchange. `id` must be unique in the
 * page (it prefixes the SVG's pattern).
 */
export function timelineFigure(evidence: EvidenceFile, facts: TimelineFacts, id: string): string {
  const timeline = buildTimeline(evidence, facts);
  if (!timeline) return '';
  const failing = timeline.failing
    ? ` The verdict rests on ${timeline.failing.seqs.length ? `exchange(s) #${timeline.failing.seqs.join(', #')}` : 'what the story probed'} at ${sinceStart(timeline, timeline.failing.fromMs)}–${sinceStart(timeline, timeline.failing.toMs)} (${h(timeline.failing.why)}), boxed in red.`
    : '';
  const notes = timeline.notes.length ? ` ${timeline.notes.map((note) => `${h(note.charAt(0).toUpperCase())}${h(note.slice(1))}.`).join(' ')}` : '';
  return [
    `<figure class="timeline">`,
    `<div class="timeline-scroll">${renderTimelineSvg(timeline, id)}</div>`,
    `<figcaption>Timeline: seconds from the story's first request (${h(new Date(timeline.startMs).toISOString())}) to ${sinceStart(timeline, timeline.endMs)}; hover a mark for its exchange.${failing}${notes}</figcaption>`,
    `</figure>`,
  ].join('');
}
