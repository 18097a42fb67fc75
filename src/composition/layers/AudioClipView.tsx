import React from 'react';
import { Audio, useVideoConfig } from 'remotion';
import { valueAt } from '../../timeline/track';
import type { AudioClip } from '../../timeline/types';

export const AudioClipView: React.FC<{ clip: AudioClip; src: string }> = ({ clip, src }) => {
  const { fps } = useVideoConfig();
  return (
    <Audio
      src={src}
      // Not rounded to whole frames: half a frame off would put two clips of one tone out of phase.
      trimBefore={clip.sourceStartSec * fps}
      playbackRate={clip.playbackRate}
      volume={(frame) => valueAt(clip.gain, frame)}
      allowAmplificationDuringRender
    />
  );
};
