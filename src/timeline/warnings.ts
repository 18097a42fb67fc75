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
  | 'speed-curve-sound-approximated'
  | 'keyframe-skipped'
  | 'transition-approximated'
  | 'transition-skipped'
  | 'transition-window-estimated'
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
  | 'canvas-approximated'
  | 'chroma-skipped'
  | 'audio-effect-skipped'
  | 'compound-skipped'
  | 'text-style-approximated'
  | 'text-template-skipped'
  | 'font-substituted'
  | 'warnings-truncated';

export interface WarningSink {
  add(code: WarningCode, message: string, segmentId?: string): void;
  /** At most `max` warnings, then one `warnings-truncated` saying how many more there were. */
  readonly list: TimelineWarning[];
}

/**
 * A draft of 100 000 segments can have as many warnings; the job record and every status answer
 * carry them, so the list stops at `max` and says how many were left out.
 */
export const MAX_WARNINGS = 200;

export function createWarningSink(max = MAX_WARNINGS): WarningSink {
  const kept: TimelineWarning[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  return {
    get list() {
      return dropped === 0
        ? kept
        : [...kept, { code: 'warnings-truncated', message: `${dropped} more warning(s) not listed (at most ${max} are kept)` }];
    },
    add(code, message, segmentId) {
      // Draft-level warnings (no segment) are kept once per distinct message.
      const key = segmentId !== undefined ? `${segmentId}\u0000${code}` : `\u0000${code}\u0000${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (kept.length >= max) {
        dropped++;
        return;
      }
      kept.push(segmentId !== undefined ? { segmentId, code, message } : { code, message });
    },
  };
}

/** Counts by code, for logs and tests. */
export function countWarnings(warnings: TimelineWarning[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const w of warnings) counts[w.code] = (counts[w.code] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
