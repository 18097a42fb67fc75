/**
 * Frames drawn by the browser, every one (Remotion's renderMedia): for timelines the compositor
 * cannot draw exactly. A frame range is one chunk of a longer render; the sound is Remotion's own
 * only when no ffmpeg mixes it (see planRender).
 */
import { makeCancelSignal, renderMedia } from '@remotion/renderer';
import { COMPOSITION_ID } from '../composition/id';
import type { Timeline } from '../timeline/types';
import { getServeUrl } from './bundle';
import { compositionMeta } from './composition-meta';
import type { FrameRange } from './engine';
import { serveTimelineMedia, startMediaServer } from './media-server';
import type { BrowserSession } from './browser';
import { browserOf, type RenderSettings } from './settings';

export interface RemotionProgress {
  renderedFrames: number;
  encodedFrames: number;
  /** Remotion's stitcher: 'encoding' while frames go in, 'muxing' while audio is mixed in. */
  stitchStage: 'encoding' | 'muxing';
}

/** Frames [from, end) as H.264 at `outPath` (the caller renames it when complete). */
export async function drawWithRemotion(
  timeline: Timeline,
  range: FrameRange,
  outPath: string,
  o: { settings: RenderSettings; browser: BrowserSession; withSound: boolean; signal?: AbortSignal; onProgress?: (p: RemotionProgress) => void },
): Promise<void> {
  const { settings } = o;
  const encode = settings.encode;
  const mediaServer = await startMediaServer();
  const { cancelSignal, cancel } = makeCancelSignal();
  const onAbort = () => cancel();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    o.signal?.throwIfAborted();
    const inputProps = { timeline: serveTimelineMedia(timeline, mediaServer) };
    const serveUrl = await getServeUrl();
    const durationInFrames = Math.max(1, timeline.durationFrames);
    const composition = compositionMeta({
      id: COMPOSITION_ID,
      width: timeline.widthPx,
      height: timeline.heightPx,
      fps: timeline.fps,
      durationInFrames,
      props: inputProps,
    });
    const whole = range[0] === 0 && range[1] >= durationInFrames;
    await o.browser.use(browserOf(settings), (browser) => renderMedia({
      serveUrl,
      composition,
      inputProps,
      codec: 'h264',
      ...(o.withSound ? { audioCodec: 'aac' as const, enforceAudioTrack: true } : { muted: true }),
      pixelFormat: 'yuv420p',
      colorSpace: 'bt709',
      crf: encode.crf,
      x264Preset: encode.x264Preset,
      imageFormat: 'jpeg',
      jpegQuality: encode.jpegQuality,
      concurrency: encode.concurrency,
      ...(whole ? {} : { frameRange: [range[0], range[1] - 1] as [number, number] }),
      outputLocation: outPath,
      overwrite: true,
      puppeteerInstance: browser,
      cancelSignal,
      logLevel: 'error',
      licenseKey: settings.remotionLicenseKey,
      onProgress: (p) => o.onProgress?.({ renderedFrames: p.renderedFrames, encodedFrames: p.encodedFrames, stitchStage: p.stitchStage }),
    }));
    o.signal?.throwIfAborted();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await mediaServer.close();
  }
}
