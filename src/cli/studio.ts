// npm run studio -- <draft url or file>: opens Remotion Studio on that draft for visual debugging.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serveTimelineMedia, startMediaServer } from '../render/media-server';
import { prepareTimeline } from '../render/prepare';
import { browserOf } from '../render/settings';
import { cliArgsOrExit } from './args';

const main = async () => {
  const args = cliArgsOrExit();
  const timeline = await prepareTimeline(
    { source: args.source, allowLocalFiles: true, mediaOverrides: args.mediaOverrides, maxSeconds: args.maxSeconds },
    args.settings,
  );
  // Studio's browser reads materials over HTTP, like a render does.
  const media = await startMediaServer();

  const propsDir = path.join(args.dataDir, 'studio');
  mkdirSync(propsDir, { recursive: true });
  const propsFile = path.join(propsDir, 'props.json');
  writeFileSync(propsFile, JSON.stringify({ timeline: serveTimelineMedia(timeline, media) }));
  for (const w of timeline.warnings) console.log(`warning [${w.code}] ${w.segmentId ?? ''} ${w.message}`);
  console.log(`timeline: ${timeline.widthPx}x${timeline.heightPx} @ ${timeline.fps} fps, ${timeline.durationFrames} frames`);

  const studio = spawn(
    'npx',
    ['remotion', 'studio', 'src/composition/index.ts', `--props=${propsFile}`, '--no-open',
      `--browser-executable=${browserOf(args.settings)}`, ...(process.env.STUDIO_PORT ? [`--port=${process.env.STUDIO_PORT}`] : [])],
    { stdio: 'inherit' },
  );
  const stop = () => studio.kill('SIGINT');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  studio.on('exit', async (code) => {
    await media.close();
    process.exit(code ?? 0);
  });
};

main().catch((err) => {
  console.error(`studio failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  process.exit(1);
});
