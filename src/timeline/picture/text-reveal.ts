/**
 * Character-by-character reveal of a text layer (TextReveal: 打字机 typewriter, 逐字显示
 * char-fade). Hidden characters keep their place, so the block neither moves nor re-wraps while
 * the text appears, as in JianYing.
 */
import type { TextReveal, TextRun } from '../types';
import { revealProgress } from './effects';

/** A piece of a run drawn with one opacity (0 = not yet shown, still laid out). */
export interface RunPiece {
  run: TextRun;
  text: string;
  opacity: number;
}

/** Characters fading at once in `char-fade`: each takes this many characters' time to appear. */
const CHAR_FADE_SPAN = 3;

/** Opacity of character `i` of `n` when a share `p` (0..1) of the reveal is done. */
export function charOpacity(mode: TextReveal['mode'], i: number, n: number, p: number): number {
  if (p >= 1) return 1;
  if (mode === 'typewriter') return i < Math.floor(p * n + 1e-9) ? 1 : 0;
  // char-fade: characters start one after another; the last one is fully in at p = 1.
  const t = p * (n - 1 + CHAR_FADE_SPAN) - i;
  return Math.min(1, Math.max(0, t / CHAR_FADE_SPAN));
}

/** The runs cut where the opacity changes; without a reveal, one piece per run. */
export function revealPieces(runs: TextRun[], reveal: TextReveal | undefined, frame: number): RunPiece[] {
  if (!reveal) return runs.map((run) => ({ run, text: run.text, opacity: 1 }));
  const p = revealProgress(reveal, frame);
  const total = runs.reduce((sum, r) => sum + Array.from(r.text).length, 0);
  const pieces: RunPiece[] = [];
  let index = 0;
  for (const run of runs) {
    for (const ch of Array.from(run.text)) {
      const opacity = charOpacity(reveal.mode, index++, total, p);
      const last = pieces[pieces.length - 1];
      if (last && last.run === run && last.opacity === opacity) last.text += ch;
      else pieces.push({ run, text: ch, opacity });
    }
  }
  return pieces;
}

/** Share (0..1) of a karaoke run swept into its highlight colour at a layer frame. */
export const highlightProgress = (run: TextRun, frame: number): number => {
  const h = run.highlight;
  if (!h) return 0;
  if (frame >= h.toFrame) return 1;
  if (frame < h.fromFrame) return 0;
  return (frame - h.fromFrame) / Math.max(1, h.toFrame - h.fromFrame);
};
