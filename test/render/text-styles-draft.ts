// The draft of test/render/text-styles.test.ts (also handy to render by hand with the CLI):
// a 480×270 black canvas with one caption per text feature, all on for the first second.
import { DraftBuilder } from '../helpers/draft-builder';

export const W = 480;
export const H = 270;
export const FPS = 30;

/** Where each caption's centre lands: transform (half-canvas units, y up) → pixels. */
export const at = (x: number, y: number) => ({ x: (W / 2) * (1 + x), y: (H / 2) * (1 - y) });

/** Caption positions (transform units). Sizes: em = size × 480 / 160 = 3 × size px. */
export const PLACES = {
  twoColours: { x: -0.45, y: 0.6 }, // 红红红绿绿绿, size 8: 24 px em, 144 px wide
  stroke: { x: 0.45, y: 0.6 }, // 描边, white with a red stroke, size 10
  background: { x: -0.45, y: 0 }, // 背景 on a blue box, size 8
  emoji: { x: 0.45, y: 0 }, // 😀, size 10
  sansZi: { x: -0.75, y: -0.6 }, // 字 / 口 in the default font and in ZCOOL KuaiLe, size 12
  sansKou: { x: -0.45, y: -0.6 },
  kuaileZi: { x: 0.05, y: -0.6 },
  kuaileKou: { x: 0.35, y: -0.6 },
  karaoke: { x: 0.75, y: -0.6 }, // 甲乙: 甲 sung 0.1–0.5 s, 乙 0.5–0.9 s (white → red)
} as const;

const fill = (rgb: number[]) => ({ alpha: 1, content: { render_type: 'solid', solid: { alpha: 1, color: rgb } } });
const json = (text: string, styles: unknown[]) => JSON.stringify({ text, styles });

export function textStylesDraft(): Record<string, unknown> {
  const d = new DraftBuilder({ width: W, height: H, fps: FPS });
  const seg = (materialId: string, place: { x: number; y: number }) => ({
    materialId,
    startUs: 0,
    durationUs: 1_000_000,
    clip: { transform: place },
  });
  const plain = (text: string, size: number, extra: Record<string, unknown> = {}) =>
    d.rawText({ content: text, font_size: size, text_color: '#FFFFFF', check_flag: 7, ...extra });

  d.track('text', [
    seg(
      d.rawText({
        content: json('红红红绿绿绿', [
          { range: [0, 3], size: 8, fill: fill([1, 0, 0]), strokes: [] },
          { range: [3, 6], size: 8, fill: fill([0, 1, 0]), strokes: [] },
        ]),
        check_flag: 7,
      }),
      PLACES.twoColours,
    ),
    seg(
      d.rawText({
        content: json('描边', [
          { range: [0, 2], size: 10, fill: fill([1, 1, 1]), strokes: [{ content: { solid: { alpha: 1, color: [1, 0, 0] } }, width: 0.12 }] },
        ]),
        check_flag: 15,
      }),
      PLACES.stroke,
    ),
    seg(
      plain('背景', 8, {
        check_flag: 7 | 16,
        background_color: '#0000FF',
        background_alpha: 1,
        background_width: 0.3,
        background_height: 0.3,
      }),
      PLACES.background,
    ),
    seg(plain('😀', 10), PLACES.emoji),
    seg(plain('字', 12), PLACES.sansZi),
    seg(plain('口', 12), PLACES.sansKou),
    seg(plain('字', 12, { font_title: '站酷快乐体' }), PLACES.kuaileZi),
    seg(plain('口', 12, { font_title: '站酷快乐体' }), PLACES.kuaileKou),
    seg(
      plain('甲乙', 8, {
        ktv_color: '#FF0000FF',
        words: { start_time: [100, 500], end_time: [500, 900], text: ['甲', '乙'] },
      }),
      PLACES.karaoke,
    ),
  ]);
  return d.toJSON();
}
