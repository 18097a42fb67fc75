/**
 * RenderBackend `lambda`: the prepared timeline (materials downloaded and probed here, exactly as
 * for a local render, so warnings and limits are the same) is rendered by Remotion Lambda, which
 * draws every frame with our Remotion composition and fetches each material from its own URL.
 *
 * renderMediaOnLambda → getRenderProgress every ~2 s → onProgress (render → encode → done);
 * the video lands in our S3 bucket (`stored: true`) or is downloaded once to `outPath`.
 * Failures become rows of the API's error table; an abort, a stall or a fatal error sends
 * cancelRenderOnLambda so the renderer functions stop.
 */
import { untilAborted } from '../../abort';
import { renameSync, rmSync, statSync } from 'node:fs';
import { COMPOSITION_ID } from '../../composition/id';
import { GenVideoError, isGenVideoError } from '../../errors';
import type { ResolveHost } from '../../net/safe-fetch';
import type { BackendRenderInput, BackendRenderResult, RenderBackend } from '../backend';
import { STAGE_END } from '../render-draft';
import { publicReason, tempPathFor } from '../render-timeline';
import type { RenderProgress } from '../types';
import type { EnhancedErrorInfo, LambdaClient, LambdaProgress, RenderMediaOnLambdaInput, S3OutputProvider } from './client';
import { lambdaTimeline, propsTransport } from './props';
import type { LambdaSettings } from './settings';

export interface LambdaBackendOptions {
  /**
   * Also resolve the host names of material URLs and refuse those answering private addresses
   * (worth passing when ALLOW_PRIVATE_NETWORK or PRIVATE_NETWORK_ALLOWLIST let such materials in).
   */
  resolveHost?: ResolveHost;
  /** Clock of the stall check (tests). */
  now?: () => number;
}

/** Keys Remotion accepts in outName (docs/lambda/custom-destination). */
const OUT_KEY = /^([0-9a-zA-Z-!_.*'()/]+)$/;
/** Consecutive failed getRenderProgress calls before the render is given up. */
const MAX_PROGRESS_FAILURES = 5;
/** Remotion's overallProgress weights: evaluating + invoking + frames + encoding = 0.9, combining 0.1. */
const FRAMES_DONE_AT = 0.9;

export const ENGINE_REASON = 'RENDER_BACKEND=lambda: Remotion Lambda draws every frame with the Remotion composition (the compositor is a local engine)';

/**
 * A failure message fit for a client: no URLs (CloudWatch, S3, the site), ARNs, bucket names or
 * paths; the first line only.
 */
export const publicLambdaReason = (message: string): string =>
  publicReason(
    message
      .replace(/\b(?:https?|s3):\/\/\S+/g, '…')
      .replace(/\barn:aws[\w-]*:\S+/g, '…')
      .replace(/\bremotionlambda-[a-z0-9-]+/g, '…'),
  );

/** Lambda's own timeout (a function killed by AWS, or Remotion's timeout check of the render). */
const isLambdaTimeout = (e: Pick<EnhancedErrorInfo, 'name' | 'message'>): boolean =>
  e.name === 'TimeoutError' || /Task timed out after|has timed out/i.test(e.message);

/** A fatal error of getRenderProgress as the API's error table row (like classifyFailure for local renders). */
export const lambdaFailure = (e: Pick<EnhancedErrorInfo, 'name' | 'message' | 'type'>): GenVideoError => {
  const reason = `Remotion Lambda: ${publicLambdaReason(e.message)}`;
  if (isLambdaTimeout(e)) return new GenVideoError('TIMEOUT', `Remotion Lambda: a function ran out of time (${e.type})`);
  if (/audio|aac|atempo|amix/i.test(e.message)) return new GenVideoError('AUDIO_FAILED', reason);
  if (e.type === 'stitcher' || /ffmpeg|x264|encod|stitch|combin|concat|mux/i.test(e.message)) return new GenVideoError('ENCODE_FAILED', reason);
  return new GenVideoError('RENDER_FAILED', reason);
};

/** Remotion's progress as the job's stage and share (the same shares as local renders, STAGE_END). */
export const lambdaStage = (p: LambdaProgress, totalFrames: number): RenderProgress => {
  const extra = { renderedFrames: Math.min(p.framesRendered, totalFrames), totalFrames };
  const overall = Math.max(0, Math.min(1, p.overallProgress));
  const combining = p.done || p.combinedFrames > 0 || (p.framesRendered >= totalFrames && overall >= FRAMES_DONE_AT);
  if (!combining) {
    const share = Math.min(1, overall / FRAMES_DONE_AT);
    return { stage: 'render', progress: STAGE_END.download + (STAGE_END.render - STAGE_END.download) * share, ...extra };
  }
  // Lambda renders each chunk's sound with its frames; joining chunks and muxing is the encode.
  const share = Math.max(0, Math.min(1, (overall - FRAMES_DONE_AT) / (1 - FRAMES_DONE_AT)));
  return { stage: 'encode', progress: STAGE_END.audio + (STAGE_END.encode - STAGE_END.audio) * share, ...extra };
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });


const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Where the video goes: our bucket (written by Lambda) or Remotion's (downloaded here). */
const outputOf = (
  settings: LambdaSettings,
  input: BackendRenderInput,
): { outName?: RenderMediaOnLambdaInput['outName']; provider?: S3OutputProvider; why?: string } => {
  const target = input.s3Output;
  if (!target) return {};
  const plan = settings.s3Output;
  if (!plan) return { why: 'no S3 output plan in the Lambda settings' };
  if (plan.mode === 'download') return { why: plan.reason };
  if (!OUT_KEY.test(target.key)) return { why: `the object key ${JSON.stringify(target.key)} has characters Remotion's outName refuses` };
  if (plan.mode === 'direct') return { outName: { bucketName: target.bucket, key: target.key } };
  const provider: S3OutputProvider = {
    endpoint: plan.endpoint,
    accessKeyId: plan.accessKeyId,
    secretAccessKey: plan.secretAccessKey,
    region: plan.region,
    forcePathStyle: plan.forcePathStyle,
  };
  return { outName: { bucketName: target.bucket, key: target.key, s3OutputProvider: provider }, provider };
};

export function createLambdaBackend(settings: LambdaSettings, client: LambdaClient, options: LambdaBackendOptions = {}): RenderBackend {
  const now = options.now ?? (() => Date.now());
  const running = new Set<AbortController>();

  const render = async (input: BackendRenderInput): Promise<BackendRenderResult> => {
    const { timeline, log } = input;
    const stop = new AbortController();
    running.add(stop);
    const signal = AbortSignal.any([input.signal, stop.signal]);
    try {
      signal.throwIfAborted();
      // Refused here, before any call to AWS: Lambda downloads every material from its URL.
      const inputProps = { timeline: await lambdaTimeline(timeline, { resolveHost: options.resolveHost }) };
      signal.throwIfAborted();
      const totalFrames = timeline.durationFrames;
      const { region, functionName } = settings;
      const output = outputOf(settings, input);
      const props = propsTransport(inputProps);

      log(`${ENGINE_REASON}: function ${functionName} in ${region}, ${totalFrames} frames`);
      log(
        props.via === 'payload'
          ? `input props ${props.size} characters, sent inside the invocation`
          : `input props ${props.size} characters, over Remotion's inline limit: renderMediaOnLambda stores them in ${settings.bucket ?? "Remotion's bucket"} first`,
      );
      if (output.why) log(`the video is downloaded here, not written to S3 by Lambda: ${output.why}`);

      let share = STAGE_END.download;
      let stage: RenderProgress['stage'] = 'render';
      const report = (p: RenderProgress) => {
        // Never backwards: a later poll may show fewer frames (a retried chunk).
        if (stage === 'encode' && p.stage === 'render') p = { ...p, stage: 'encode' };
        stage = p.stage;
        share = Math.max(share, p.progress);
        input.onProgress({ ...p, progress: share });
      };
      report({ stage: 'render', progress: STAGE_END.download, renderedFrames: 0, totalFrames });

      const encode = settings.encode;
      let started: { renderId: string; bucketName: string };
      try {
        started = await client.renderMedia({
          region,
          functionName,
          serveUrl: settings.serveUrl,
          composition: COMPOSITION_ID,
          inputProps,
          codec: 'h264',
          audioCodec: 'aac',
          imageFormat: 'jpeg',
          jpegQuality: encode.jpegQuality,
          crf: encode.crf,
          x264Preset: encode.x264Preset,
          pixelFormat: 'yuv420p',
          colorSpace: 'bt709',
          ...(settings.framesPerLambda ? { framesPerLambda: settings.framesPerLambda } : {}),
          ...(settings.concurrency ? { concurrency: settings.concurrency } : {}),
          privacy: settings.privacy,
          downloadBehavior: { type: 'play-in-browser' },
          ...(output.outName ? { outName: output.outName } : { outName: `${input.jobId.replace(/[^0-9a-zA-Z-_]/g, '_')}.mp4` }),
          ...(settings.bucket ? { forceBucketName: settings.bucket } : {}),
          // Materials come from anyone's server: @remotion/gif fetches them, and many send no CORS
          // headers (local renders serve them from our own media server, which does).
          chromiumOptions: { disableWebSecurity: true },
          enableCancellation: true,
          overwrite: true,
          licenseKey: settings.licenseKey,
          logLevel: 'error',
        });
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        throw new GenVideoError('RENDER_FAILED', `Remotion Lambda did not start the render: ${publicLambdaReason(messageOf(err))}`, { cause: err });
      }
      const { renderId, bucketName } = started;
      log(`Remotion Lambda render ${renderId} started`);

      const cancel = async (why: string) => {
        try {
          await client.cancelRender({ region, bucketName, renderId });
          log(`sent a cancel to Remotion Lambda render ${renderId} (${why})`);
        } catch (err) {
          // Nothing else stops it: each renderer function still ends at its timeout.
          log(`could not cancel Remotion Lambda render ${renderId} (${why}): ${publicLambdaReason(messageOf(err))}; its functions stop at their ${settings.functionTimeoutSec} s timeout`);
        }
      };

      let progress: LambdaProgress | undefined;
      let fingerprint = '';
      let lastChange = now();
      let failures = 0;
      try {
        for (;;) {
          signal.throwIfAborted();
          try {
            progress = await untilAborted(
              client.getRenderProgress({ region, functionName, bucketName, renderId, ...(output.provider ? { s3OutputProvider: output.provider } : {}) }),
              signal,
            );
            failures = 0;
          } catch (err) {
            if (signal.aborted) throw signal.reason;
            failures++;
            log(`getRenderProgress failed (${failures}/${MAX_PROGRESS_FAILURES}): ${publicLambdaReason(messageOf(err))}`);
            if (failures >= MAX_PROGRESS_FAILURES) {
              throw new GenVideoError('RENDER_FAILED', `lost track of the Remotion Lambda render: ${publicLambdaReason(messageOf(err))}`, { cause: err });
            }
            progress = undefined;
          }
          if (progress) {
            if (progress.fatalErrorEncountered) {
              const fatal = progress.errors.find((e) => e.isFatal && !e.willRetry) ?? progress.errors[0];
              throw fatal ? lambdaFailure(fatal) : new GenVideoError('RENDER_FAILED', 'Remotion Lambda reported a fatal error');
            }
            if (progress.done) break;
            report(lambdaStage(progress, totalFrames));
            const next = JSON.stringify([
              progress.overallProgress,
              progress.framesRendered,
              progress.lambdasInvoked,
              progress.chunks,
              progress.combinedFrames,
              progress.encodingStatus?.framesEncoded ?? 0,
            ]);
            if (next !== fingerprint) {
              fingerprint = next;
              lastChange = now();
            }
          }
          if (now() - lastChange >= settings.stallTimeoutMs) {
            throw new GenVideoError('TIMEOUT', `Remotion Lambda made no progress for ${+(settings.stallTimeoutMs / 1000).toFixed(1)} s`);
          }
          await sleep(settings.pollIntervalMs, signal);
        }
      } catch (err) {
        await cancel(signal.aborted ? `stopped: ${messageOf(signal.reason)}` : isGenVideoError(err) ? err.code : 'failed');
        if (signal.aborted) throw signal.reason;
        throw err;
      }

      const done = progress!;
      report({ stage: 'encode', progress: STAGE_END.encode, renderedFrames: totalFrames, totalFrames });
      const seconds = done.timeToFinish ? ` in ${(done.timeToFinish / 1000).toFixed(1)} s` : '';
      const cost = done.costs?.displayCost ? `, about ${done.costs.displayCost} (Remotion's estimate)` : '';
      log(`Remotion Lambda render ${renderId} finished${seconds} with ${done.lambdasInvoked} functions${cost}`);

      let sizeBytes: number;
      let stored: boolean;
      if (output.outName && input.s3Output) {
        if ((done.outBucket && done.outBucket !== input.s3Output.bucket) || (done.outKey && done.outKey !== input.s3Output.key)) {
          throw new GenVideoError('ENCODE_FAILED', 'Remotion Lambda wrote the video somewhere else than asked');
        }
        sizeBytes = done.outputSizeInBytes ?? 0;
        stored = true;
        log(`Lambda wrote the video to the S3 bucket ${input.s3Output.bucket} itself (${sizeBytes} bytes)`);
      } else {
        const tmpPath = tempPathFor(input.outPath);
        try {
          await client.downloadMedia({ region, bucketName, renderId, outPath: tmpPath, signal });
          signal.throwIfAborted();
          renameSync(tmpPath, input.outPath);
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          throw new GenVideoError('RENDER_FAILED', `the finished video could not be downloaded from Remotion Lambda: ${publicLambdaReason(messageOf(err))}`, { cause: err });
        } finally {
          rmSync(tmpPath, { force: true });
        }
        sizeBytes = statSync(input.outPath).size;
        stored = false;
        log(`downloaded the video from Remotion Lambda (${sizeBytes} bytes)`);
        // Our copy is the one that counts: the render's folder in Remotion's bucket can go.
        await client.deleteRender({ region, bucketName, renderId }).catch((err) => log(`could not delete render ${renderId} from Remotion's bucket: ${publicLambdaReason(messageOf(err))}`));
      }
      input.onProgress({ stage: 'done', progress: 1 });
      return {
        widthPx: timeline.widthPx,
        heightPx: timeline.heightPx,
        fps: timeline.fps,
        durationFrames: totalFrames,
        durationSec: totalFrames / timeline.fps,
        sizeBytes,
        warnings: timeline.warnings,
        engine: 'lambda',
        engineReason: ENGINE_REASON,
        stored,
      };
    } finally {
      running.delete(stop);
    }
  };

  return {
    name: 'lambda',
    render,
    async close() {
      for (const stop of running) stop.abort(new GenVideoError('RENDER_FAILED', 'the server is shutting down'));
    },
  };
}
