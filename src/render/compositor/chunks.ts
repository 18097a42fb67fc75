/**
 * Long timelines are drawn in time chunks, each its own ffmpeg run: a graph holds every picture
 * it will show (a decoded, scaled frame and filter buffers each, ~20–60 MB at 1080×1920), so one
 * graph for a long video would need memory in proportion to its length. The chunks' H.264 is
 * joined without re-encoding and the sound, mixed once for the whole video, muxed in.
 */
import type { FrameRange } from '../engine';
import { shiftClock } from '../../timeline/source-time';
import type { CompositorPlan, PlannedPicture } from './plan';

/** [first, end) frame ranges covering `durationFrames`, each at most `framesPerChunk` long. */
export function chunkRanges(durationFrames: number, framesPerChunk: number): FrameRange[] {
  const size = Math.max(1, Math.round(framesPerChunk));
  const ranges: FrameRange[] = [];
  for (let from = 0; from < durationFrames; from += size) ranges.push([from, Math.min(durationFrames, from + size)]);
  return ranges;
}

/** The part of a picture inside [from, end), with frames counted from `from`. */
function slicePicture(p: PlannedPicture, from: number, end: number, fps: number): PlannedPicture | null {
  const first = Math.max(p.fromFrame, from);
  const last = Math.min(p.fromFrame + p.durationFrames, end);
  if (last <= first) return null;
  const skip = first - p.fromFrame;
  const sliced: PlannedPicture = {
    ...p,
    fromFrame: first - from,
    durationFrames: last - first,
    placements: p.placements.slice(skip, skip + (last - first)),
    wholePlacements: p.wholePlacements ?? p.placements,
  };
  if (p.source.kind === 'video' && skip > 0) {
    sliced.source = { ...p.source, video: shiftClock(p.source.video, skip, fps) };
  }
  if (p.source.kind === 'gif' && skip > 0) sliced.source = { ...p.source, layerFrame: p.source.layerFrame + skip };
  if (p.source.kind === 'drawn') {
    // The states shown in the chunk, from its first frame on.
    const { runs } = p.source;
    const shown = runs.flatMap((r, i) => {
      const to = runs[i + 1]?.from ?? p.durationFrames;
      return to <= skip || r.from >= skip + sliced.durationFrames ? [] : [{ state: r.state, from: Math.max(0, r.from - skip) }];
    });
    sliced.source = { ...p.source, runs: shown };
  }
  return sliced;
}

/** The plan's pictures for one chunk, without sound (mixed once for the whole video). */
export function slicePlan(plan: CompositorPlan, [from, end]: FrameRange): CompositorPlan {
  return {
    ...plan,
    durationFrames: end - from,
    pictures: plan.pictures.flatMap((p) => slicePicture(p, from, end, plan.fps) ?? []),
    audio: [],
  };
}
