// Fonts ship with the bundle (from npm, pinned), so every machine draws the same glyphs.
// The CSS splits Noto Sans SC into unicode-range subsets; only the subsets a draft uses are loaded.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import { useEffect, useState } from 'react';
import { continueRender, delayRender } from 'remotion';
import type { VisualLayer } from '../timeline/types';

/** Holds the render until every glyph the timeline's text needs is loaded: never fallback boxes. */
export const useFontsLoaded = (layers: VisualLayer[]): void => {
  const [handle] = useState(() => delayRender('Loading fonts'));
  useEffect(() => {
    const wanted = new Map<string, string>();
    for (const layer of layers) {
      if (layer.kind !== 'text') continue;
      for (const run of layer.text.runs) {
        const font = `${run.italic ? 'italic ' : ''}${run.fontWeight} 32px "${run.fontFamily}"`;
        wanted.set(font, (wanted.get(font) ?? '') + run.text);
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
