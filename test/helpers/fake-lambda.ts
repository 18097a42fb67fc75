/**
 * An in-process LambdaClient for tests: answers the way @remotion/lambda 4.0.527 does (the same
 * shapes, Remotion's naming of functions, buckets and sites, its validation of framesPerLambda /
 * concurrency / cancellation, its rule for props over the inline limit), keeps functions, buckets,
 * sites, renders and written objects in memory, and records every call. Nothing leaves the process.
 *
 * A render follows a script: progress advances with each getRenderProgress call (frames, then the
 * join, then done), or stops changing (a stall), or ends in a fatal error; the "rendered" video is
 * a real file the test made (downloadMedia copies it; an S3 outName stores its bytes as the object).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { EnhancedErrorInfo, FunctionInfo, LambdaClient, LambdaProgress, LambdaSite, RenderMediaOnLambdaInput } from '../../src/render/lambda/client';
import { propsTransport } from '../../src/render/lambda/props';
import { LAMBDA_LIMITS, lambdaFunctionName, REMOTION_VERSION, type LambdaSettings } from '../../src/render/lambda/settings';
import { DEFAULT_ENCODE } from '../../src/render/settings';

export interface FakeRenderScript {
  /** getRenderProgress calls until done (the last one answers done); default 4. */
  polls?: number;
  /** From this call on, the answer no longer changes (a function hangs). */
  stallFromPoll?: number;
  /** At this call: a fatal error (fields of Remotion's EnhancedErrorInfo). */
  fatalAtPoll?: number;
  fatalError?: Partial<EnhancedErrorInfo>;
  /** The video the render "made": a real MP4 written by the test. */
  videoFile: string;
}

export interface FakeCall {
  method: keyof LambdaClient;
  input: Record<string, unknown>;
}

interface FakeRender {
  renderId: string;
  bucketName: string;
  region: string;
  input: RenderMediaOnLambdaInput;
  script: FakeRenderScript;
  polls: number;
  cancelled: boolean;
  deleted: boolean;
  propsVia: 'payload' | 'bucket';
  totalFrames: number;
}

export interface FakeLambdaClient extends LambdaClient {
  readonly calls: FakeCall[];
  readonly functions: Array<FunctionInfo & { region: string }>;
  readonly buckets: Array<{ name: string; region: string }>;
  readonly sites: Array<LambdaSite & { region: string }>;
  readonly renders: Map<string, FakeRender>;
  /** Objects written to S3 by renders with an outName bucket: "bucket/key" → bytes. */
  readonly objects: Map<string, Buffer>;
  /** How the next renders go (one script per renderMedia call, in order; the last one repeats). */
  script(...scripts: FakeRenderScript[]): void;
  /** Calls of one method. */
  callsOf(method: keyof LambdaClient): FakeCall[];
}

const regionTag = (region: string) => region.replace(/-/g, '');

const baseError = (over: Partial<EnhancedErrorInfo>): EnhancedErrorInfo => ({
  type: 'renderer',
  message: 'Error: something failed',
  name: 'Error',
  stack: 'Error: something failed\n    at render (/var/task/index.js:1:1)',
  frame: null,
  chunk: 0,
  isFatal: true,
  attempt: 1,
  willRetry: false,
  totalAttempts: 1,
  tmpDir: null,
  s3Location: '',
  explanation: null,
  ...over,
});

export function createFakeLambdaClient(o: { accountTag?: string } = {}): FakeLambdaClient {
  const tag = o.accountTag ?? 'fake0001';
  const calls: FakeCall[] = [];
  const functions: FakeLambdaClient['functions'] = [];
  const buckets: FakeLambdaClient['buckets'] = [];
  const sites: FakeLambdaClient['sites'] = [];
  const renders = new Map<string, FakeRender>();
  const objects = new Map<string, Buffer>();
  let scripts: FakeRenderScript[] = [];
  let renderCount = 0;

  const record = (method: keyof LambdaClient, input: object) => calls.push({ method, input: { ...input } });
  const bucketOf = (region: string) => buckets.find((b) => b.region === region)?.name;
  const renderOf = (renderId: string, bucketName: string) => {
    const r = renders.get(renderId);
    if (!r || r.bucketName !== bucketName || r.deleted) throw new Error(`NoSuchKey: renders/${renderId}/progress.json not found in bucket ${bucketName}`);
    return r;
  };

  const progressOf = (r: FakeRender): LambdaProgress => {
    const s = r.script;
    const total = r.totalFrames;
    const polls = Math.max(2, s.polls ?? 4);
    const at = s.stallFromPoll !== undefined ? Math.min(r.polls, s.stallFromPoll) : r.polls;
    const costs = { accruedSoFar: 0.0001 * at, displayCost: `$${(0.0001 * at).toFixed(4)}`, currency: 'USD', disclaimer: 'Estimated cost only. Does not include charges for other AWS services.' };
    const base = {
      renderId: r.renderId,
      bucket: r.bucketName,
      costs,
      lambdasInvoked: Math.ceil(total / (r.input.framesPerLambda ?? 20)),
      chunks: 0,
      outputFile: null,
      outKey: null,
      outBucket: null,
      outputSizeInBytes: null,
      timeToFinish: null,
    };
    if (s.fatalAtPoll !== undefined && r.polls >= s.fatalAtPoll) {
      return {
        ...base,
        done: false,
        overallProgress: 0.3,
        framesRendered: Math.floor(total / 3),
        encodingStatus: { framesEncoded: Math.floor(total / 3), combinedFrames: 0, timeToCombine: null },
        combinedFrames: 0,
        fatalErrorEncountered: true,
        errors: [baseError({ willRetry: true, isFatal: false, message: 'Error: retrying chunk' }), baseError(s.fatalError ?? {})],
      };
    }
    if (at >= polls) {
      const size = statSync(s.videoFile).size;
      const outName = r.input.outName;
      const custom = typeof outName === 'object' && outName !== null ? outName : undefined;
      const outBucket = custom?.bucketName ?? r.bucketName;
      const outKey = custom?.key ?? `renders/${r.renderId}/${typeof outName === 'string' ? outName : 'out.mp4'}`;
      if (custom) objects.set(`${outBucket}/${outKey}`, readFileSync(s.videoFile));
      return {
        ...base,
        done: true,
        overallProgress: 1,
        framesRendered: total,
        encodingStatus: { framesEncoded: total, combinedFrames: total, timeToCombine: 400 },
        combinedFrames: total,
        chunks: base.lambdasInvoked,
        fatalErrorEncountered: false,
        errors: [],
        outputFile: `https://s3.${r.region}.amazonaws.com/${outBucket}/${outKey}`,
        outKey,
        outBucket,
        outputSizeInBytes: size,
        timeToFinish: 1000 * at,
      };
    }
    // Frames over the first polls - 2 calls, then the join.
    const framesShare = Math.min(1, at / Math.max(1, polls - 2));
    const joining = at >= polls - 1;
    const frames = joining ? total : Math.floor(total * framesShare);
    const combined = joining ? Math.floor(total / 2) : 0;
    const overall = 0.1 * (at > 0 ? 1 : 0) + 0.1 * (at > 0 ? 1 : 0) + 0.7 * (frames / total) + 0.1 * (combined / total);
    return {
      ...base,
      done: false,
      overallProgress: overall,
      framesRendered: frames,
      encodingStatus: { framesEncoded: frames, combinedFrames: combined, timeToCombine: null },
      combinedFrames: combined,
      chunks: joining ? base.lambdasInvoked : Math.floor(base.lambdasInvoked * framesShare),
      fatalErrorEncountered: false,
      errors: [],
    };
  };

  const client: FakeLambdaClient = {
    calls,
    functions,
    buckets,
    sites,
    renders,
    objects,
    script(...next) {
      scripts = next;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),

    async getFunctions(input) {
      record('getFunctions', input);
      return functions.filter((f) => f.region === input.region && f.version === REMOTION_VERSION).map(({ region: _r, ...f }) => f);
    },
    async deployFunction(input) {
      record('deployFunction', input);
      const { memorySizeInMb: m, diskSizeInMb: d, timeoutInSeconds: t, region } = input;
      if (t < LAMBDA_LIMITS.minTimeoutSec || t > LAMBDA_LIMITS.maxTimeoutSec) throw new TypeError(`Lambda function timeout must be between ${LAMBDA_LIMITS.minTimeoutSec} and ${LAMBDA_LIMITS.maxTimeoutSec}, got ${t}`);
      const functionName = lambdaFunctionName({ memoryMb: m, diskMb: d, timeoutSec: t });
      if (functions.some((f) => f.region === region && f.functionName === functionName)) return { functionName, alreadyExisted: true };
      functions.push({ functionName, memorySizeInMb: m, diskSizeInMb: d, timeoutInSeconds: t, version: REMOTION_VERSION, region });
      return { functionName, alreadyExisted: false };
    },
    async getSites(input) {
      record('getSites', input);
      return {
        sites: sites.filter((s) => s.region === input.region && (!input.bucketName || s.bucketName === input.bucketName)).map(({ region: _r, ...s }) => s),
        buckets: buckets.filter((b) => b.region === input.region),
      };
    },
    async getOrCreateBucket(input) {
      record('getOrCreateBucket', input);
      const found = bucketOf(input.region);
      if (found) return { bucketName: found, alreadyExisted: true };
      const bucketName = `remotionlambda-${regionTag(input.region)}-${tag}`;
      buckets.push({ name: bucketName, region: input.region });
      return { bucketName, alreadyExisted: false };
    },
    async deploySite(input) {
      record('deploySite', input);
      if (!existsSync(path.join(input.bundleDir, 'index.html'))) throw new Error(`${input.bundleDir} is not a Remotion bundle (no index.html)`);
      if (!buckets.some((b) => b.name === input.bucketName && b.region === input.region)) throw new Error(`NoSuchBucket: ${input.bucketName}`);
      const serveUrl = `https://${input.bucketName}.s3.${input.region}.amazonaws.com/sites/${input.siteName}/index.html`;
      const files = readdirSync(input.bundleDir, { recursive: true }).length;
      const existing = sites.findIndex((s) => s.id === input.siteName && s.bucketName === input.bucketName);
      if (existing >= 0) sites.splice(existing, 1);
      sites.push({ id: input.siteName, serveUrl, bucketName: input.bucketName, version: REMOTION_VERSION, region: input.region });
      return { serveUrl, siteName: input.siteName, stats: { uploadedFiles: existing >= 0 ? 0 : files, deletedFiles: 0, untouchedFiles: existing >= 0 ? files : 0 } };
    },

    async renderMedia(input) {
      record('renderMedia', input);
      if (input.framesPerLambda != null && input.concurrency != null) throw new TypeError("Both 'framesPerLambda' and 'concurrency' were set. Please use only one of them.");
      const timeline = (input.inputProps as { timeline?: { durationFrames?: number } } | undefined)?.timeline;
      const totalFrames = Math.max(1, timeline?.durationFrames ?? 30);
      const minimum = Math.min(LAMBDA_LIMITS.minFramesPerLambda, totalFrames);
      if (input.framesPerLambda != null && input.framesPerLambda < minimum) throw new TypeError(`The framesPerLambda needs to be at least ${minimum}, but is ${input.framesPerLambda}`);
      if (input.concurrency != null && input.concurrency > LAMBDA_LIMITS.maxConcurrency) throw new TypeError(`'concurrency' cannot exceed ${LAMBDA_LIMITS.maxConcurrency}, passed ${input.concurrency}`);
      const script = scripts.length > 1 ? scripts.shift()! : scripts[0];
      if (!script) throw new Error('fake Lambda: no render script (call fake.script(...) first)');
      const bucketName = input.forceBucketName ?? bucketOf(input.region) ?? (await client.getOrCreateBucket({ region: input.region })).bucketName;
      renderCount++;
      const renderId = `fake${String(renderCount).padStart(6, '0')}`;
      renders.set(renderId, {
        renderId,
        bucketName,
        region: input.region,
        input,
        script,
        polls: 0,
        cancelled: false,
        deleted: false,
        propsVia: propsTransport(input.inputProps ?? {}).via,
        totalFrames,
      });
      return { renderId, bucketName };
    },
    async getRenderProgress(input) {
      record('getRenderProgress', input);
      const r = renderOf(input.renderId, input.bucketName);
      if (r.cancelled) {
        return { ...progressOf(r), done: false, fatalErrorEncountered: true, errors: [baseError({ name: 'CancelledError', message: 'Render was cancelled' })] };
      }
      r.polls++;
      return progressOf(r);
    },
    async cancelRender(input) {
      record('cancelRender', input);
      const r = renderOf(input.renderId, input.bucketName);
      if (r.input.enableCancellation !== true) throw new Error(`Cannot cancel render ${input.renderId}: The render was not started with enableCancellation: true.`);
      r.cancelled = true;
    },
    async deleteRender(input) {
      record('deleteRender', input);
      renderOf(input.renderId, input.bucketName).deleted = true;
    },
    async downloadMedia(input) {
      record('downloadMedia', input);
      const r = renderOf(input.renderId, input.bucketName);
      input.signal?.throwIfAborted();
      if (!progressOf(r).done) throw new Error(`Render ${input.renderId} has not finished`);
      await copyFile(r.script.videoFile, input.outPath);
      return { sizeInBytes: statSync(input.outPath).size };
    },
  };
  return client;
}

/** Lambda settings as a deploy would print them for the fake's function and site; `over` changes some. */
export const fakeLambdaSettings = (over: Partial<LambdaSettings> = {}): LambdaSettings => ({
  region: 'us-east-1',
  functionName: 'remotion-render-4-0-527-mem2048mb-disk2048mb-120sec',
  serveUrl: 'https://remotionlambda-useast1-fake0001.s3.us-east-1.amazonaws.com/sites/gen-video-abc/index.html',
  privacy: 'private',
  functionTimeoutSec: 120,
  memoryMb: 2048,
  diskMb: 2048,
  stallTimeoutMs: 5_000,
  pollIntervalMs: 1,
  licenseKey: null,
  encode: DEFAULT_ENCODE,
  ...over,
});
