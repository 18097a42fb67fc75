import React from 'react';
import { Freeze, OffthreadVideo, useCurrentFrame, useVideoConfig } from 'remotion';
import { SOURCE_TIME_SLACK_SEC, sourceSecAt } from '../timeline/source-time';
import type { SourceClock } from '../timeline/types';

/**
 * A video showing on each frame its source at the clock's exact source time (source-time.ts),
 * as the compositor does: no trim rounded to whole frames, no speed applied by Remotion, and a
 * speed curve plays as one. OffthreadVideo asks its extractor for (trimBefore + frame × speed) /
 * fps seconds of the source; frozen on its layer's first frame (which always lies inside the
 * composition: Remotion clamps frames beyond it), that is exactly the trim, given here as the
 * source time counted in (fractional) frames.
 */
export const SourceVideo: React.FC<{ clock: SourceClock; src: string; style: React.CSSProperties }> = ({ clock, src, style }) => {
  const frame = useCurrentFrame();
  const { fps } = useVideoConfig();
  const sourceSec = sourceSecAt(clock, frame, fps);
  return (
    <Freeze frame={0}>
      <OffthreadVideo src={src} muted trimBefore={(sourceSec + SOURCE_TIME_SLACK_SEC) * fps} style={style} />
    </Freeze>
  );
};
