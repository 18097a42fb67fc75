/**
 * Every call gen_video makes to AWS for Remotion Lambda, behind one narrow interface: the real one
 * (remotion-client.ts) wraps @remotion/lambda 4.0.527; the fake (fake-client.ts) answers in-process
 * with the same shapes, for tests. Types are Remotion's own where it has them.
 */
import type { DeployFunctionOutput, FunctionInfo, GetOrCreateBucketOutput } from '@remotion/lambda';
import type { EnhancedErrorInfo, RenderMediaOnLambdaInput, RenderMediaOnLambdaOutput, RenderProgress } from '@remotion/lambda/client';
import type { LambdaRegion } from './settings';

export type { EnhancedErrorInfo, FunctionInfo, RenderMediaOnLambdaInput };

/** What the backend reads of getRenderProgress()'s answer (Remotion's RenderProgress has all of it). */
export type LambdaProgress = Pick<
  RenderProgress,
  | 'renderId'
  | 'bucket'
  | 'done'
  | 'overallProgress'
  | 'framesRendered'
  | 'chunks'
  | 'lambdasInvoked'
  | 'encodingStatus'
  | 'combinedFrames'
  | 'fatalErrorEncountered'
  | 'errors'
  | 'outputFile'
  | 'outKey'
  | 'outBucket'
  | 'outputSizeInBytes'
  | 'timeToFinish'
  | 'costs'
>;

/** `s3OutputProvider` of renderMediaOnLambda's outName: another S3 region or S3-compatible cloud. */
export interface S3OutputProvider {
  endpoint: string;
  accessKeyId: string | null;
  secretAccessKey: string | null;
  region?: string;
  forcePathStyle?: boolean;
}

export interface LambdaSite {
  id: string;
  serveUrl: string;
  bucketName: string;
  /** Remotion version the site was bundled with (null: unknown). */
  version: string | null;
}

export interface LambdaClient {
  // --- deploy (npm run lambda:deploy) ---
  /** Functions of this Remotion version in the region (getFunctions with compatibleOnly). */
  getFunctions(input: { region: LambdaRegion }): Promise<FunctionInfo[]>;
  /** deployFunction(): creates the function (or answers the existing one of the same shape). */
  deployFunction(input: {
    region: LambdaRegion;
    memorySizeInMb: number;
    diskSizeInMb: number;
    timeoutInSeconds: number;
    runtimePreference: 'default' | 'cjk' | 'apple-emojis';
  }): Promise<DeployFunctionOutput>;
  /** getSites(): sites and Remotion buckets of the region (read only). */
  getSites(input: { region: LambdaRegion; bucketName?: string }): Promise<{ sites: LambdaSite[]; buckets: Array<{ name: string; region: string }> }>;
  /** getOrCreateBucket(). */
  getOrCreateBucket(input: { region: LambdaRegion }): Promise<GetOrCreateBucketOutput>;
  /** deploySiteFromBundle(): uploads an already built bundle folder as the site `siteName`. */
  deploySite(input: {
    region: LambdaRegion;
    bucketName: string;
    bundleDir: string;
    siteName: string;
  }): Promise<{ serveUrl: string; siteName: string; stats: { uploadedFiles: number; deletedFiles: number; untouchedFiles: number } }>;

  // --- render ---
  /** renderMediaOnLambda(): starts a render, answers at once. */
  renderMedia(input: RenderMediaOnLambdaInput): Promise<Pick<RenderMediaOnLambdaOutput, 'renderId' | 'bucketName'>>;
  /** getRenderProgress(). */
  getRenderProgress(input: {
    region: LambdaRegion;
    functionName: string;
    bucketName: string;
    renderId: string;
    s3OutputProvider?: S3OutputProvider;
  }): Promise<LambdaProgress>;
  /** cancelRenderOnLambda() (renders started with enableCancellation): renderers stop after their next S3 poll. */
  cancelRender(input: { region: LambdaRegion; bucketName: string; renderId: string }): Promise<void>;
  /** deleteRender(): removes the render's folder (progress, chunks and output in Remotion's bucket). */
  deleteRender(input: { region: LambdaRegion; bucketName: string; renderId: string }): Promise<void>;
  /** downloadMedia(): the finished video to a local file. */
  downloadMedia(input: {
    region: LambdaRegion;
    bucketName: string;
    renderId: string;
    outPath: string;
    signal?: AbortSignal;
  }): Promise<{ sizeInBytes: number }>;
}
