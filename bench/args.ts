/** Command-line options of `npm run bench`. */
import { parseArgs } from 'node:util';
import { RENDER_ENGINES, type RenderEngine } from '../src/render/engine';
import type { EncodeSettings } from '../src/render/settings';
import { BENCH_DRAFTS, type BenchDraftName } from './drafts';
import { REFERENCE_CANVAS } from './plan';

export interface BenchOptions {
  /** Which video: the reference (60 s) or the effects one (30 s). */
  draft: BenchDraftName;
  /** Open the browser before the clock starts, as a render process has it from its last job (default; `--cold`: not). */
  warmBrowser: boolean;
  /** Render only the first N seconds (both sides); undefined = the whole video. */
  cutSec?: number;
  jsonPath?: string;
  repeat: number;
  widthPx: number;
  heightPx: number;
  /** Overrides of DEFAULT_ENCODE passed to renderDraft; the floor uses the same crf and preset. */
  encode: Partial<EncodeSettings>;
  floor: boolean;
  /** Keep the stored MP4 (ours.mp4) and the floor's (floor.mp4) here instead of deleting them. */
  keepDir?: string;
  /** Passed to renderDraft; `remotion` measures the browser-per-frame engine as a baseline. */
  engine: RenderEngine;
}

/** `--tiny`: a few seconds at a small canvas, for the test that keeps the bench from rotting.
 * 6 s reaches past the first 叠化 at 5 s. */
const TINY = { cutSec: 6, widthPx: 216, heightPx: 384 };

export const USAGE = `npm run bench -- [options]
  --draft D          ${BENCH_DRAFTS.join(' | ')} (default reference: 60 s; effects: 30 s with a blur, a wipe, a GIF, karaoke, a mask, a blurred canvas)
  --seconds N        render only the first N seconds of the draft (both sides)
  --cold             open the browser inside the timed render (a render process's first job), not before
  --json FILE        also write the results as JSON
  --repeat N         render N times in one process, memory reported after each (default 1)
  --width W --height H   canvas size (default ${REFERENCE_CANVAS.widthPx}x${REFERENCE_CANVAS.heightPx}); media scale with it
  --tiny             = --seconds ${TINY.cutSec} --width ${TINY.widthPx} --height ${TINY.heightPx}
  --concurrency N --jpeg-quality Q --preset P --crf C   encode settings passed to renderDraft
  --no-floor         skip the ffmpeg floor
  --keep DIR         keep ours.mp4 and floor.mp4 in DIR
  --engine E         ${RENDER_ENGINES.join(' | ')} (default auto: the compositor for this draft)`;

const positive = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} ${v}: expected a positive number`);
  return n;
};

const PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'] as const;

export const parseBenchArgs = (argv: string[]): BenchOptions | 'help' => {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seconds: { type: 'string' },
      json: { type: 'string' },
      repeat: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      tiny: { type: 'boolean' },
      concurrency: { type: 'string' },
      'jpeg-quality': { type: 'string' },
      preset: { type: 'string' },
      crf: { type: 'string' },
      'no-floor': { type: 'boolean' },
      keep: { type: 'string' },
      engine: { type: 'string' },
      draft: { type: 'string' },
      cold: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const tiny = values.tiny ? TINY : undefined;

  const encode: Partial<EncodeSettings> = {};
  const concurrency = positive('concurrency', values.concurrency);
  if (concurrency !== undefined) encode.concurrency = Math.round(concurrency);
  const jpegQuality = positive('jpeg-quality', values['jpeg-quality']);
  if (jpegQuality !== undefined) encode.jpegQuality = Math.min(100, Math.round(jpegQuality));
  const crf = positive('crf', values.crf);
  if (crf !== undefined) encode.crf = crf;
  if (values.preset !== undefined) {
    const preset = PRESETS.find((p) => p === values.preset);
    if (!preset) throw new Error(`--preset ${values.preset}: expected one of ${PRESETS.join(', ')}`);
    encode.x264Preset = preset;
  }

  const engine = RENDER_ENGINES.find((e) => e === (values.engine ?? 'auto'));
  if (!engine) throw new Error(`--engine ${values.engine}: expected one of ${RENDER_ENGINES.join(', ')}`);

  const draft = BENCH_DRAFTS.find((d) => d === (values.draft ?? 'reference'));
  if (!draft) throw new Error(`--draft ${values.draft}: expected one of ${BENCH_DRAFTS.join(', ')}`);

  return {
    draft,
    warmBrowser: !values.cold,
    engine,
    cutSec: positive('seconds', values.seconds) ?? tiny?.cutSec,
    jsonPath: values.json,
    repeat: Math.round(positive('repeat', values.repeat) ?? 1),
    widthPx: Math.round(positive('width', values.width) ?? tiny?.widthPx ?? REFERENCE_CANVAS.widthPx),
    heightPx: Math.round(positive('height', values.height) ?? tiny?.heightPx ?? REFERENCE_CANVAS.heightPx),
    encode,
    floor: !values['no-floor'],
    keepDir: values.keep,
  };
};
