import React from 'react';
import { AbsoluteFill, Sequence } from 'remotion';
import type { Timeline, VisualLayer } from '../timeline/types';
import { AudioClipView } from './layers/AudioClipView';
import { GifLayerView } from './layers/GifLayerView';
import { ImageLayerView } from './layers/ImageLayerView';
import { TextLayerView } from './layers/TextLayerView';
import { VideoLayerView } from './layers/VideoLayerView';
import { BackgroundView } from './effects/BackgroundView';
import { useFontsLoaded } from './fonts';

export interface DraftVideoProps extends Record<string, unknown> {
  timeline: Timeline;
}

/** One layer, drawn by its kind's view. */
export const LayerView: React.FC<{ layer: VisualLayer; timeline: Timeline }> = ({ layer, timeline }) => {
  switch (layer.kind) {
    case 'video':
      return <VideoLayerView layer={layer} media={timeline.media[layer.mediaId]} />;
    case 'image':
      return <ImageLayerView layer={layer} media={timeline.media[layer.mediaId]} />;
    case 'gif':
      return <GifLayerView layer={layer} media={timeline.media[layer.mediaId]} />;
    case 'text':
      return <TextLayerView layer={layer} />;
  }
};

/** Draws a timeline: every layer is a Sequence, back to front; audio clips play alongside. */
export const DraftVideo: React.FC<DraftVideoProps> = ({ timeline }) => {
  useFontsLoaded(timeline.layers);
  return (
    <AbsoluteFill style={{ backgroundColor: 'black', overflow: 'hidden' }}>
      {(timeline.backgrounds ?? []).map((background) => (
        <Sequence
          key={`background-${background.segmentId}`}
          from={background.fromFrame}
          durationInFrames={background.durationFrames}
          name={`background ${background.kind} ${background.segmentId}`}
        >
          <BackgroundView background={background} media={background.mediaId ? timeline.media[background.mediaId] : undefined} />
        </Sequence>
      ))}
      {timeline.layers.map((layer) => (
        <Sequence
          key={layer.id}
          from={layer.fromFrame}
          durationInFrames={layer.durationFrames}
          name={`${layer.kind} ${layer.id}`}
        >
          <LayerView layer={layer} timeline={timeline} />
        </Sequence>
      ))}
      {timeline.audio.map((clip) => {
        const media = timeline.media[clip.mediaId];
        if (!media?.src || media.hasAudio === false) return null;
        return (
          <Sequence
            key={`audio-${clip.id}`}
            from={clip.fromFrame}
            durationInFrames={clip.durationFrames}
            name={`audio ${clip.id}`}
            layout="none"
          >
            <AudioClipView clip={clip} src={media.src} />
          </Sequence>
        );
      })}
    </AbsoluteFill>
  );
};
