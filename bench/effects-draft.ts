/** The effects plan as a JianYing draft (draft-format.md), with every material at an http URL. */
import { DraftBuilder } from '../test/helpers/draft-builder';
import type { EffectsPlan } from './effects-plan';
import { audioTrack, captionTrack, kenBurns, us } from './reference-draft';

export const effectsDraft = (plan: EffectsPlan, url: (file: string) => string): Record<string, unknown> => {
  const d = new DraftBuilder({ width: plan.widthPx, height: plan.heightPx, fps: plan.fps });

  d.track(
    'video',
    plan.main.map((item, i) => {
      const t = plan.transitions[i];
      const refs = t ? [d.transition(t.name, us(t.sec))] : [];
      if (item.kind === 'photo') {
        return {
          materialId: d.video(url(item.file), { width: plan.widthPx, height: plan.heightPx, durationUs: 0, photo: true }),
          startUs: us(item.startSec),
          durationUs: us(item.durationSec),
          keyframes: kenBurns(item.zoom, item.panX, item.durationSec),
          refs,
        };
      }
      const canvas = d.material('canvases', { type: 'canvas_blur', blur: item.canvasBlur, color: '', image: '' });
      return {
        materialId: d.video(url(item.file), { width: item.widthPx, height: item.heightPx, durationUs: us(item.durationSec) }),
        startUs: us(item.startSec),
        durationUs: us(item.durationSec),
        refs: [...refs, canvas],
      };
    }),
  );

  const m = plan.masked;
  const circle = d.material('masks', {
    name: '圆形',
    type: 'mask',
    // A circle as tall as the clip: width and height are shares of the box's width and height.
    config: { centerX: 0, centerY: 0, width: m.heightPx / m.widthPx, height: 1, rotation: 0, feather: 0, invert: false, roundCorner: 0 },
  });
  d.track('video', [
    {
      materialId: d.video(url(m.file), { width: m.widthPx, height: m.heightPx, durationUs: us(m.durationSec) }),
      startUs: us(m.startSec),
      durationUs: us(m.durationSec),
      clip: { scale: { x: m.scale, y: m.scale }, transform: { x: 0, y: m.yHalf } },
      refs: [circle],
    },
  ]);

  const g = plan.gif;
  d.track('video', [
    {
      materialId: d.video(url(g.file), { width: g.sizePx, height: g.sizePx, durationUs: us(g.loopSec) }),
      startUs: us(g.startSec),
      durationUs: us(g.durationSec),
      sourceDurationUs: us(g.durationSec),
      clip: { scale: { x: g.scale, y: g.scale }, transform: { x: 0.4, y: g.yHalf } },
    },
  ]);

  if (plan.captions.length > 0) captionTrack(d, plan.captions);

  const k = plan.karaoke;
  const text = k.words.map((w) => w.text).join('');
  d.track('text', [
    {
      materialId: d.rawText({
        content: text,
        font_size: k.size,
        text_color: '#FFFFFF',
        check_flag: 7,
        ktv_color: '#FFD700FF',
        // Word times in ms from the segment's start.
        words: {
          start_time: k.words.map((w) => Math.round((w.startSec - k.startSec) * 1000)),
          end_time: k.words.map((w) => Math.round((w.endSec - k.startSec) * 1000)),
          text: k.words.map((w) => w.text),
        },
      }),
      startUs: us(k.startSec),
      durationUs: us(k.durationSec),
      clip: { transform: { x: 0, y: k.yHalf } },
    },
  ]);

  for (const a of [plan.music, plan.voice]) audioTrack(d, url, a);
  return d.toJSON();
};
