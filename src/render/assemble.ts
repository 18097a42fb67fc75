/**
 * The last stage of a render: H.264 chunks joined without re-encoding (every chunk starts on a key
 * frame, with the same encoder settings) and the one sound mix muxed in, ready to stream.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runFfmpeg } from './compositor/run';

export async function assemble(
  parts: readonly string[],
  sound: string | null,
  outPath: string,
  o: { ffmpeg: string; workDir: string; signal?: AbortSignal },
): Promise<void> {
  const list = path.join(o.workDir, `parts-${path.basename(outPath)}.txt`);
  writeFileSync(list, parts.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n'));
  await runFfmpeg(
    o.ffmpeg,
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'concat', '-safe', '0', '-i', list,
      ...(sound ? ['-i', sound, '-map', '0:v', '-map', '1:a'] : ['-map', '0:v']),
      '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', outPath,
    ],
    { signal: o.signal },
  );
}
