// Fonts ship with the bundle (from npm, pinned), so every machine draws the same glyphs. These
// imports must cover SHIPPED_FONTS (src/timeline/fonts.ts; a test checks). The CJK fonts come in
// unicode-range subsets: a face is fetched only when a run's text needs it.
import '@fontsource/noto-sans-sc/300.css';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/500.css';
import '@fontsource/noto-sans-sc/700.css';
import '@fontsource/noto-sans-sc/900.css';
import '@fontsource/noto-serif-sc/400.css';
import '@fontsource/noto-serif-sc/700.css';
import '@fontsource/lxgw-wenkai/500.css';
import '@fontsource/lxgw-wenkai/700.css';
import '@fontsource/zcool-kuaile/400.css';
import '@fontsource/zcool-qingke-huangyou/400.css';
import '@fontsource/zcool-xiaowei/400.css';
import '@fontsource/ma-shan-zheng/400.css';
// Colour emoji: Twemoji as a COLRv0 web font (npm, OFL). Noto Color Emoji from npm is COLRv1
// only, which the Chromium here (system FreeType 2.12) draws as nothing at all.
import 'twemoji-colr-font/twemoji.css';
import { useEffect, useState } from 'react';
import { continueRender, delayRender } from 'remotion';
import { EMOJI_FONT_FAMILY, FALLBACK_FAMILIES } from '../timeline/fonts';
import type { TextRun, VisualLayer } from '../timeline/types';

/** CSS font-family of a run: its own family, then the CJK sans and colour emoji, glyph by glyph. */
export const fontStack = (run: Pick<TextRun, 'fontFamily'>): string =>
  [run.fontFamily, ...FALLBACK_FAMILIES.filter((f) => f !== run.fontFamily)].map((f) => `"${f}"`).join(', ');

/** `font` shorthands (for document.fonts.load) of the web fonts a run may draw with. */
const fontsOfRun = (run: TextRun): string[] => {
  const style = run.italic ? 'italic ' : '';
  return [run.fontFamily, ...FALLBACK_FAMILIES].map((family) =>
    // Twemoji has one face; asking for another weight would not match it.
    family === EMOJI_FONT_FAMILY ? `32px "${family}"` : `${style}${run.fontWeight} 32px "${family}"`,
  );
};

/**
 * Holds the render until every glyph the timeline's text needs is loaded: never fallback boxes.
 * Each face loads only the unicode-range subsets the given text touches.
 */
export const useFontsLoaded = (layers: VisualLayer[]): void => {
  const [handle] = useState(() => delayRender('Loading fonts'));
  useEffect(() => {
    const wanted = new Map<string, string>();
    for (const layer of layers) {
      if (layer.kind !== 'text') continue;
      for (const run of layer.text.runs) {
        for (const font of fontsOfRun(run)) wanted.set(font, (wanted.get(font) ?? '') + run.text);
      }
    }
    Promise.all([...wanted].map(([font, text]) => document.fonts.load(font, text)))
      .then(() => document.fonts.ready)
      .then(() => continueRender(handle))
      .catch((err) => {
        // A missing glyph subset must not hang the render; the browser falls back per glyph.
        console.warn('font loading failed', err);
        continueRender(handle);
      });
  }, [handle, layers]);
};
