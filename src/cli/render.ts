// npm run render -- <draft url or file> -o out.mp4
import { describeBrowserDrawn } from '../render/compositor/plan';
import { renderDraft } from '../render/render-draft';
import type { RenderProgress, Stage } from '../render/types';
import { cliArgsOrExit } from './args';

const STAGE_LABEL: Record<Stage, string> = {
  parse: 'parsing draft',
  download: 'downloading materials',
  render: 'rendering frames',
  audio: 'mixing audio',
  encode: 'encoding',
  store: 'storing',
  done: 'done',
};

const progressBar = (p: RenderProgress): string => {
  const width = 30;
  const filled = Math.round(p.progress * width);
  const frames = p.totalFrames ? ` ${p.renderedFrames ?? 0}/${p.totalFrames} frames` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(p.progress * 100).toFixed(0).padStart(3)}% ${STAGE_LABEL[p.stage]}${frames}`;
};

const main = async () => {
  const args = cliArgsOrExit();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  const tty = process.stderr.isTTY;
  let lastStep = '';
  const started = performance.now();
  const result = await renderDraft({
    source: args.source,
    outPath: args.outPath,
    settings: args.settings,
    allowLocalFiles: true,
    mediaOverrides: args.mediaOverrides,
    maxSeconds: args.maxSeconds,
    signal: controller.signal,
    onProgress: (p) => {
      const line = progressBar(p);
      if (tty) {
        process.stderr.write(`\r${line}`);
        return;
      }
      // Logs get a line per stage and per tenth of the job, not one per frame.
      const step = `${p.stage} ${Math.floor(p.progress * 10)}`;
      if (step !== lastStep) console.error(line);
      lastStep = step;
    },
  });
  if (tty) process.stderr.write('\n');
  const wallSec = (performance.now() - started) / 1000;
  console.log(`wrote ${result.outPath}`);
  console.log(
    `  ${result.widthPx}x${result.heightPx} @ ${result.fps} fps, ${result.durationSec.toFixed(2)} s (${result.durationFrames} frames), ${(result.sizeBytes / 1e6).toFixed(2)} MB`,
  );
  console.log(
    `  took ${wallSec.toFixed(1)} s (${(result.durationFrames / wallSec).toFixed(1)} frames/s overall; stages: ${Object.entries(result.timingsSec)
      .map(([k, v]) => `${k} ${v!.toFixed(1)} s`)
      .join(', ')})`,
  );
  if (result.engine === 'compositor') {
    const drawn = result.browserDrawn?.length ? describeBrowserDrawn(result.browserDrawn) : '';
    const work = result.browserWork;
    console.log(`  drawn by the compositor (ffmpeg; ${drawn ? `the browser drew ${drawn}` : 'no browser needed'})`);
    if (work && work.tiles > 0) console.log(`  the browser's tiles: ${work.tiles} on ${work.frames} frames, ${work.seconds.toFixed(1)} s`);
  } else {
    console.log(`  drawn by Remotion (the browser drew every frame)${result.engineReason ? `: ${result.engineReason}` : ''}`);
  }
  if (result.warnings.length) {
    console.log(`  ${result.warnings.length} warning(s): what will differ from JianYing`);
    for (const w of result.warnings) console.log(`    - [${w.code}]${w.segmentId ? ` ${w.segmentId}:` : ''} ${w.message}`);
  }
};

main().catch((err) => {
  console.error(`\nrender failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  process.exit(1);
});

