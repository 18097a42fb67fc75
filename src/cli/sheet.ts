// npm run sheet -- <draft url or file> -o sheet.png: a grid of frames at even times.
import { prepareTimeline } from '../render/prepare';
import { renderSheet } from '../render/render-sheet';
import { cliArgsOrExit } from './args';

const main = async () => {
  const args = cliArgsOrExit();
  const outPath = args.outPath.endsWith('.mp4') ? args.outPath.replace(/\.mp4$/, '.png') : args.outPath;
  const timeline = await prepareTimeline(
    { source: args.source, allowLocalFiles: true, mediaOverrides: args.mediaOverrides, maxSeconds: args.maxSeconds },
    args.settings,
  );
  const { frames } = await renderSheet(timeline, { outPath, ...args.sheet }, args.settings);
  console.log(`wrote ${outPath}: ${frames.length} frames of ${timeline.widthPx}x${timeline.heightPx} @ ${timeline.fps} fps`);
  for (const w of timeline.warnings) console.log(`  - [${w.code}]${w.segmentId ? ` ${w.segmentId}:` : ''} ${w.message}`);
};

main().catch((err) => {
  console.error(`sheet failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  process.exit(1);
});
