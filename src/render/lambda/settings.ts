/**
 * What the Remotion Lambda backend needs, built once by the entry point (server/config.ts from the
 * environment, the deploy command from its flags, a test) and passed down: nothing here reads the
 * environment. Remotion's own functions read the AWS credentials from it themselves
 * (REMOTION_AWS_ACCESS_KEY_ID / REMOTION_AWS_SECRET_ACCESS_KEY, then AWS_*, then the SDK's chain).
 */
import { VERSION } from 'remotion/version';
import type { EncodeSettings } from '../settings';

/** The Remotion version of this server; a Lambda function must be of the same one. */
export const REMOTION_VERSION = VERSION;
/** The version as Remotion writes it in function names (`4-0-527`). */
export const LAMBDA_VERSION_TAG = VERSION.replace(/\./g, '-').replace(/\+/g, '-').substring(0, 10);

/** The name deployFunction() gives a function of this shape (Remotion's speculateFunctionName). */
export const lambdaFunctionName = (o: { memoryMb: number; diskMb: number; timeoutSec: number }): string =>
  `remotion-render-${LAMBDA_VERSION_TAG}-mem${o.memoryMb}mb-disk${o.diskMb}mb-${o.timeoutSec}sec`;

/** The regions Remotion Lambda 4.0.527 deploys to (`getRegions()`; a test keeps the two equal). */
export const LAMBDA_REGIONS = [
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-north-1',
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-south-1', 'ap-east-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ca-central-1', 'cn-north-1', 'cn-northwest-1', 'sa-east-1',
] as const;
export type LambdaRegion = (typeof LAMBDA_REGIONS)[number];

export const LAMBDA_PRIVACIES = ['private', 'public', 'no-acl'] as const;
export type LambdaPrivacy = (typeof LAMBDA_PRIVACIES)[number];

/** Remotion's numbers (@remotion/lambda 4.0.527 constants; the deploy rejects values outside them). */
export const LAMBDA_LIMITS = {
  /** A render function's frames per invocation: at least 5 (or the whole video when shorter). */
  minFramesPerLambda: 5,
  /** Renderer functions per render. */
  maxConcurrency: 200,
  minMemoryMb: 512,
  maxMemoryMb: 10240,
  minDiskMb: 512,
  maxDiskMb: 10240,
  minTimeoutSec: 15,
  /** AWS Lambda's own cap (15 minutes). */
  maxTimeoutSec: 900,
} as const;

/** Remotion's defaults for deployFunction (memory 2048 MB, disk 2048 MB, timeout 120 s). */
export const LAMBDA_FUNCTION_DEFAULTS = { memoryMb: 2048, diskMb: 2048, timeoutSec: 120 } as const;

/**
 * Where a finished video goes when the server stores videos in S3 (STORAGE=s3):
 * - `direct`: the function writes it into our bucket itself (AWS, same region; the Lambda role must
 *   be allowed to write there);
 * - `provider`: into our bucket through an `s3OutputProvider` (an S3-compatible store, or AWS S3 in
 *   another region): endpoint and S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY go to the function with
 *   the render;
 * - `download`: we cannot let Lambda write there (a store on a private address, no keys to hand
 *   over): the video is downloaded here once and the runner uploads it as for a local render.
 */
export type S3OutputPlan =
  | { mode: 'direct' }
  | {
      mode: 'provider';
      endpoint: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    }
  | { mode: 'download'; reason: string };

export interface LambdaSettings {
  region: LambdaRegion;
  /** The deployed render function (npm run lambda:deploy prints it). */
  functionName: string;
  /** The deployed site: our composition bundle on S3 (npm run lambda:deploy prints it). */
  serveUrl: string;
  /** Remotion's bucket (renders' progress files, props over the inline limit); unset: Remotion finds it. */
  bucket?: string;
  /** Frames each renderer function draws; unset: Remotion's default (or `concurrency`). */
  framesPerLambda?: number;
  /** Renderer functions per render instead of framesPerLambda. */
  concurrency?: number;
  /** ACL of the output object ('no-acl' for buckets that disallow ACLs and for other clouds). */
  privacy: LambdaPrivacy;
  /** The function's timeout (as deployed): one function running longer is killed by AWS. */
  functionTimeoutSec: number;
  memoryMb: number;
  diskMb: number;
  /** No change in the render's progress for this long: cancelled, 504. */
  stallTimeoutMs: number;
  /** Time between two getRenderProgress calls. */
  pollIntervalMs: number;
  /** With STORAGE=s3: how the video reaches our bucket (see S3OutputPlan); unset: local storage. */
  s3Output?: S3OutputPlan;
  /** Remotion company licence key (sent with each render, as for local renders). */
  licenseKey: string | null;
  /** The same crf / preset / JPEG quality as local renders. */
  encode: EncodeSettings;
}

export const DEFAULT_POLL_INTERVAL_MS = 2000;
export const DEFAULT_STALL_SECONDS = 120;

/** The region in a serve URL of Remotion's S3 sites (`https://<bucket>.s3.<region>.amazonaws.com/sites/...`). */
export const serveUrlRegion = (serveUrl: string): string | undefined => {
  try {
    const host = new URL(serveUrl).hostname;
    return /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1];
  } catch {
    return undefined;
  }
};

/** The bucket in such a serve URL (virtual-hosted style). */
export const serveUrlBucket = (serveUrl: string): string | undefined => {
  try {
    const host = new URL(serveUrl).hostname;
    return /^(.+)\.s3[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?$/.exec(host)?.[1];
  } catch {
    return undefined;
  }
};

export interface S3StoreFacts {
  bucket: string;
  /** Unset: AWS S3. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/**
 * How a Lambda render reaches the server's S3 store. Remotion's rule (docs/lambda/custom-destination):
 * `outName: {bucketName, key}` for a bucket in the function's region (the role must be allowed to
 * write it); another region or another S3-compatible cloud needs an `s3OutputProvider` with its
 * endpoint (and keys, since the function cannot use ours otherwise).
 */
export const planS3Output = (
  store: S3StoreFacts,
  lambdaRegion: string,
  isPrivateHost: (hostname: string) => boolean,
): S3OutputPlan => {
  const keys = store.accessKeyId && store.secretAccessKey ? { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey } : undefined;
  if (!store.endpoint) {
    if (store.region === lambdaRegion) return { mode: 'direct' };
    // Another AWS region: documented with an s3OutputProvider carrying that region and keys.
    if (!keys) {
      return { mode: 'download', reason: `S3_REGION ${store.region} is not the Lambda region ${lambdaRegion} and no S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY can be handed to Lambda: the video is downloaded here and uploaded by this server` };
    }
    return {
      mode: 'provider',
      endpoint: `https://s3.${store.region}.amazonaws.com`,
      region: store.region,
      ...keys,
      forcePathStyle: store.forcePathStyle,
    };
  }
  let host: string;
  try {
    host = new URL(store.endpoint).hostname;
  } catch {
    return { mode: 'download', reason: `S3_ENDPOINT ${store.endpoint} is not a URL` };
  }
  if (isPrivateHost(host)) {
    return { mode: 'download', reason: `S3_ENDPOINT ${host} is on this network, out of Lambda's reach: the video is downloaded here and uploaded by this server` };
  }
  if (!keys) {
    return { mode: 'download', reason: 'S3_ENDPOINT is another cloud and no S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY can be handed to Lambda: the video is downloaded here and uploaded by this server' };
  }
  return { mode: 'provider', endpoint: store.endpoint, region: store.region, ...keys, forcePathStyle: store.forcePathStyle };
};
