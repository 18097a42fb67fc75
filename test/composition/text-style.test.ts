// The text view's pure parts: stroke disc, translucent strokes, karaoke sweep, reveal.
import { describe, expect, it } from 'vitest';
import { charOpacity, highlightProgress, revealPieces } from '../../src/timeline/picture/text-reveal';
import { fillRunStyle, splitAlpha, strokeDiscOffsets, strokeRunStyle } from '../../src/composition/text/text-style';
import type { TextReveal, TextRun } from '../../src/timeline/types';

const run = (text: string, extra: Partial<TextRun> = {}): TextRun => ({
  text,
  fontFamily: 'Noto Sans SC',
  fontWeight: 400,
  fontSizePx: 20,
  italic: false,
  underline: false,
  color: '#ffffff',
  ...extra,
});

describe('stroke disc', () => {
  it('reaches exactly the stroke width, in rings no more than 1.5 px apart', () => {
    const offsets = strokeDiscOffsets(4.5);
    const radii = [...new Set(offsets.map(([x, y]) => Math.round(Math.hypot(x, y) * 10) / 10))].sort((a, b) => a - b);
    expect(radii).toEqual([1.5, 3, 4.5]);
    // Outer ring: 2π × 4.5 / 1.5 = 18.8 → 19 samples.
    expect(offsets.filter(([x, y]) => Math.abs(Math.hypot(x, y) - 4.5) < 0.05)).toHaveLength(19);
    expect(strokeDiscOffsets(0)).toEqual([]);
  });

  it('draws translucent strokes opaque and fades the run once', () => {
    expect(splitAlpha('rgba(255, 0, 0, 0.5)')).toEqual({ opaque: 'rgb(255, 0, 0)', alpha: 0.5 });
    expect(splitAlpha('#ff0000')).toEqual({ opaque: '#ff0000', alpha: 1 });
    const style = strokeRunStyle(run('a', { stroke: { color: 'rgba(0, 0, 0, 0.4)', widthPx: 1 } }));
    expect(style.opacity).toBe(0.4);
    expect(String(style.textShadow)).not.toContain('rgba');
    expect(strokeRunStyle(run('a')).color).toBe('transparent');
  });
});

describe('karaoke sweep', () => {
  const sung = run('词', { highlight: { color: '#ff0000', fromFrame: 10, toFrame: 20 } });
  it('goes from the run colour to the highlight across its window', () => {
    expect(highlightProgress(sung, 9)).toBe(0);
    expect(highlightProgress(sung, 15)).toBe(0.5);
    expect(highlightProgress(sung, 20)).toBe(1);
    expect(fillRunStyle(sung, 5, false).color).toBe('#ffffff');
    expect(fillRunStyle(sung, 25, false).color).toBe('#ff0000');
    expect(fillRunStyle(sung, 15, false).backgroundImage).toBe('linear-gradient(to right, #ff0000 50.00%, #ffffff 50.00%)');
    expect(fillRunStyle(sung, 15, true).backgroundImage).toContain('to bottom');
  });
});

describe('reveal', () => {
  const reveal = (mode: TextReveal['mode']): TextReveal => ({ name: 'x', mode, startFrame: 0, durationFrames: 10 });
  it('typewriter shows whole characters in order', () => {
    expect([0, 1, 2, 3].map((i) => charOpacity('typewriter', i, 4, 0.5))).toEqual([1, 1, 0, 0]);
    // Frame 4 of 10: progress (4 + 0.5) / 10 = 0.45 of 4 characters → 1 shown.
    const pieces = revealPieces([run('ab'), run('cd', { color: '#ff0000' })], reveal('typewriter'), 4);
    expect(pieces.map((p) => [p.text, p.opacity])).toEqual([
      ['a', 1],
      ['b', 0],
      ['cd', 0],
    ]);
  });

  it('char-fade fades characters in one after another, all in at the end', () => {
    expect(charOpacity('char-fade', 0, 4, 0)).toBe(0);
    expect(charOpacity('char-fade', 3, 4, 1)).toBe(1);
    // p = 0.5 over (4 − 1 + 3) = 6 character-times: character 1 is 2/3 in, character 3 not yet.
    expect(charOpacity('char-fade', 1, 4, 0.5)).toBeCloseTo(2 / 3, 9);
    expect(charOpacity('char-fade', 3, 4, 0.5)).toBe(0);
    expect(revealPieces([run('ab')], undefined, 0)).toEqual([{ run: run('ab'), text: 'ab', opacity: 1 }]);
  });
});
