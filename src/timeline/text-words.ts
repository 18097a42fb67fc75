/**
 * Karaoke timing: a text material's `words {start_time[], end_time[], text[]}` (per word or per
 * character) with `ktv_color`, the colour a word turns while it is sung. Times are milliseconds
 * from the segment's start in the drafts we know of; absolute milliseconds and microseconds are
 * recognised when the numbers only fit the segment that way.
 */
import type { Warn } from './text-content';
import { maxOf, minOf } from './numbers';

export interface WordTiming {
  /** Code-point range of the word in the block's text. */
  start: number;
  end: number;
  /** Layer-relative frames: the highlight sweeps over the word from `fromFrame` to `toFrame`. */
  fromFrame: number;
  toFrame: number;
}

export interface SegmentTiming {
  fps: number;
  /** The segment's target start and duration, µs. */
  startUs: number;
  durationUs: number;
}

interface RawWords {
  start: number[];
  end: number[];
  text: string[];
}

const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function rawWords(words: unknown): RawWords | undefined {
  if (typeof words !== 'object' || words === null) return undefined;
  const w = words as Record<string, unknown>;
  if (!isNumArray(w.start_time) || !isNumArray(w.end_time) || !Array.isArray(w.text)) return undefined;
  const n = Math.min(w.start_time.length, w.end_time.length, w.text.length);
  if (n === 0) return undefined;
  return {
    start: w.start_time.slice(0, n),
    end: w.end_time.slice(0, n),
    text: w.text.slice(0, n).map((t) => (typeof t === 'string' ? t : String(t ?? ''))),
  };
}

/** Slack for rounding at the segment's end, µs. */
const END_SLACK_US = 100_000;

/** µs from the segment's start for each raw time, or undefined when no unit makes them fit. */
function toSegmentUs(words: RawWords, timing: SegmentTiming): ((t: number) => number) | undefined {
  const min = minOf(words.start);
  const max = maxOf(words.end);
  const fits = (toUs: (t: number) => number) => toUs(min) >= -END_SLACK_US && toUs(max) <= timing.durationUs + END_SLACK_US;
  const candidates: ((t: number) => number)[] = [
    (t) => t * 1000, // ms from the segment start
    (t) => t * 1000 - timing.startUs, // ms on the timeline
    (t) => t, // µs from the segment start
    (t) => t - timing.startUs, // µs on the timeline
  ];
  return candidates.find(fits);
}

/**
 * The words of `text` with their highlight windows, in layer frames. Words are found in the text
 * in order; a word that cannot be found is skipped (with a warning).
 */
export function karaokeWords(text: string, words: unknown, timing: SegmentTiming, warn: Warn): WordTiming[] {
  const raw = rawWords(words);
  if (!raw) return [];
  const toUs = toSegmentUs(raw, timing);
  if (!toUs) {
    warn('text-style-approximated', 'karaoke word times do not fit the segment: highlight not drawn');
    return [];
  }
  const frameOf = (t: number) => Math.max(0, Math.round((toUs(t) / 1_000_000) * timing.fps));

  const out: WordTiming[] = [];
  let cursor = 0; // UTF-16 offset in text
  let missing = 0;
  for (let i = 0; i < raw.text.length; i++) {
    const word = raw.text[i].trim();
    if (word === '') continue;
    const at = text.indexOf(word, cursor);
    if (at < 0) {
      missing++;
      continue;
    }
    const start = Array.from(text.slice(0, at)).length;
    const end = start + Array.from(word).length;
    cursor = at + word.length;
    const fromFrame = frameOf(raw.start[i]);
    out.push({ start, end, fromFrame, toFrame: Math.max(fromFrame, frameOf(raw.end[i])) });
  }
  if (missing > 0) warn('text-style-approximated', `${missing} karaoke word(s) not found in the text: not highlighted`);
  return out;
}
