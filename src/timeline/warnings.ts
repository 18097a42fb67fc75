/**
 * Warnings: everything skipped or approximated is reported, but at most once per segment per
 * code (a 188-caption draft must not produce 188 identical lines per caption).
 */
import type { TimelineWarning } from './types';

export type WarningCode =
  | 'fps-missing'
  | 'canvas-size-missing'
  | 'canvas-size-odd'
  | 'segment-hidden'
  | 'segment-empty'
  | 'track-muted'
  | 'track-type-unknown'
  | 'material-missing'
  | 'material-unsupported'
  | 'media-size-unknown'
  | 'crop-skipped'
  | 'crop-approximated'
  | 'reverse-skipped'
  | 'speed-invalid'
  | 'speed-curve-skipped'
  | 'keyframe-curve-approximated'
  | 'keyframe-skipped'
  | 'transition-approximated'
  | 'transition-skipped'
  | 'animation-skipped'
  | 'animation-approximated'
  | 'effect-skipped'
  | 'effect-approximated'
  | 'filter-skipped'
  | 'filter-approximated'
  | 'adjust-skipped'
  | 'adjust-approximated'
  | 'sticker-skipped'
  | 'sticker-approximated'
  | 'mask-skipped'
  | 'mask-approximated'
  | 'canvas-skipped'
  | 'chroma-skipped'
  | 'audio-effect-skipped'
  | 'compound-skipped'
  | 'text-style-approximated'
  | 'text-template-skipped'
  | 'font-substituted';

export interface WarningSink {
  add(code: WarningCode, message: string, segmentId?: string): void;
  readonly list: TimelineWarning[];
}

export function createWarningSink(): WarningSink {
  const list: TimelineWarning[] = [];
  const seen = new Set<string>();
  return {
    list,
    add(code, message, segmentId) {
      // Draft-level warnings (no segment) are kept once per distinct message.
      const key = segmentId !== undefined ? `${segmentId}\u0000${code}` : `\u0000${code}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push(segmentId !== undefined ? { segmentId, code, message } : { code, message });
    },
  };
}

/** Counts by code, for logs and tests. */
export function countWarnings(warnings: TimelineWarning[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of warnings) counts[w.code] = (counts[w.code] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
