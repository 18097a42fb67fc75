// Stand-in media for the public fixtures, whose files live on their authors' disks.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Timeline } from '../../src/timeline/types';
import { FFMPEG, makeColorClip, makeImage, makeTone } from './media';

const PALETTE = ['#d04040', '#40a040', '#4060d0', '#c0a020', '#a040c0', '#20a0a0'];

/**
 * One small file per medium of the timeline, of the right kind and aspect, by material id (the
 * key `fetchMaterials` overrides take first). Colours cycle so neighbouring segments differ.
 */
export const makeStandIns = (timeline: Timeline, dir: string): Record<string, string> => {
  const overrides: Record<string, string> = {};
  Object.values(timeline.media).forEach((ref, i) => {
    const color = PALETTE[i % PALETTE.length];
    const aspect = ref.widthPx && ref.heightPx ? ref.widthPx / ref.heightPx : 16 / 9;
    const height = 90;
    const width = Math.max(2, Math.round((height * aspect) / 2) * 2);
    const base = path.join(dir, `standin-${i}`);
    switch (ref.kind) {
      case 'photo':
        overrides[ref.id] = makeImage(`${base}.png`, color, width, height);
        break;
      case 'gif':
        execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=s=${width}x${height}:r=10:d=1`, `${base}.gif`]);
        overrides[ref.id] = `${base}.gif`;
        break;
      case 'audio':
        overrides[ref.id] = makeTone(`${base}.m4a`, 330 + 110 * (i % 4), 30);
        break;
      default:
        overrides[ref.id] = makeColorClip(`${base}.mp4`, { color, width, height, durationSec: 30, fps: 30, toneHz: 550 });
    }
  });
  return overrides;
};
