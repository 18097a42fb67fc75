/**
 * Server settings, all from the environment (validated once at start-up).
 * Every setting is listed in SETTINGS with its default and meaning (the README table is built from it).
 */
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RENDER_ENGINES, type RenderEngine } from '../src/render/engine';
import { isPrivateHost } from '../src/render/lambda/reach';
import type { S3StoreFacts } from '../src/render/lambda/settings';
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_STALL_SECONDS,
  LAMBDA_FUNCTION_DEFAULTS,
  LAMBDA_LIMITS,
  LAMBDA_PRIVACIES,
  LAMBDA_REGIONS,
  LAMBDA_VERSION_TAG,
  planS3Output,
  serveUrlRegion,
  type LambdaSettings,
  type S3OutputPlan,
} from '../src/render/lambda/settings';
import { renderSettings, type RenderSettings } from '../src/render/settings';
import { DEFAULT_LIMITS, type DraftLimits } from '../src/timeline/limits';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Two cores: one render at a time (a Remotion render uses every core it gets). */
const defaultConcurrency = (): number => Math.max(1, Math.floor(os.availableParallelism() / 2));

/** S3 presigned URLs live at most 7 days (SigV4). */
export const MAX_S3_URL_TTL_SEC = 7 * 24 * 3600;

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { message: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `expected at least ${min}` }).max(max, { message: `expected at most ${max}` }));

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(s), {
    message: 'expected true or false',
  })
  .transform((s) => ['true', '1', 'yes', 'on'].includes(s));

const httpUrl = z
  .string()
  .trim()
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'expected an absolute http(s) URL' },
  )
  .transform((s) => s.replace(/\/+$/, ''));

const nonEmpty = z.string().trim().min(1);

const list = z
  .string()
  .transform((s) =>
    s
      .split(/[,\s]+/)
      .map((k) => k.trim())
      .filter(Boolean),
  );

/**
 * Exact IP addresses, canonical (IPv6 lower-case and compressed, as sockets and URLs print them),
 * so `0:0:0:0:0:0:0:1` in the setting matches the `::1` a connection reports.
 */
const ipList = list.transform((entries, ctx) => {
  const out: string[] = [];
  for (const entry of entries) {
    const bare = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
    const family = bare.includes('%') ? 0 : isIP(bare);
    if (family === 4) out.push(bare);
    else if (family === 6) out.push(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
    else ctx.addIssue({ code: 'custom', message: `not an IP address: ${JSON.stringify(entry)} (expected exact IPv4/IPv6 addresses, no names, ranges or zones)` });
  }
  return [...new Set(out)];
});

/** name → [schema, default (as the env string, or undefined), meaning]. */
export const SETTINGS = {
  PORT: [int(0, 65535), '3000', 'TCP port to listen on (0 = any free port; the log line says which).'],
  HOST: [nonEmpty, '0.0.0.0', 'Interface to listen on.'],
  DATA_DIR: [nonEmpty, './data', 'Job database, material cache, temp files and (local storage) videos.'],
  PUBLIC_BASE_URL: [
    httpUrl,
    undefined,
    'Base of the URLs the API returns (video_url). Default http://localhost:<port>; set it to the address clients use.',
  ],
  ALLOW_PRIVATE_NETWORK: [
    bool,
    'false',
    'Allow drafts, materials and callbacks on loopback/private/link-local addresses (and redirects to them).',
  ],
  PRIVATE_NETWORK_ALLOWLIST: [
    ipList,
    '',
    'Comma-separated exact IP addresses exempt from the private-network refusal (e.g. an internal draft store), without opening the rest of the network. A redirect to any other private address is still refused.',
  ],
  API_KEYS: [
    list,
    '',
    'Comma-separated keys. When set, /v1/* needs `Authorization: Bearer <key>` (health, docs and signed video URLs stay open).',
  ],
  RENDER_CONCURRENCY: [int(1, 64), undefined, 'Renders run at the same time. Default: half the CPU cores, at least 1.'],
  REDIS_URL: [
    z.string().trim().refine((s) => /^rediss?:\/\/[^/]/.test(s), { message: 'expected redis://host:port/db' }),
    undefined,
    'Farm mode (see Scaling out): job records, queue and events in this Redis. `npm start` becomes an API node (renders nothing); `npm run worker` renders. Unset: one process does everything (SQLite).',
  ],
  WORKER_CONCURRENCY: [int(1, 64), '1', 'Farm: renders one worker runs at the same time (a render uses the cores it gets).'],
  WORKER_PORT: [int(0, 65535), undefined, 'Farm: a worker answers GET /healthz on this port (unset: no HTTP at all).'],
  NODE_NAME: [
    z.string().trim().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'letters, digits, . _ - (at most 64)' }),
    undefined,
    'Farm: this node\'s name (default: the host name). Workers sharing a DATA_DIR need different names: each cleans its own DATA_DIR/tmp/<name> at start.',
  ],
  FARM_SPLIT_SECONDS: [int(1, 24 * 3600), '60', 'Farm: videos longer than this are cut into GEN_VIDEO_CHUNK_SECONDS chunks drawn by several workers at once.'],
  RENDER_ENGINE: [
    z.enum(RENDER_ENGINES),
    'auto',
    '`auto`: the ffmpeg compositor (one ffmpeg run; the browser draws text and effects once, as stills) when it can draw the draft exactly, else Remotion (the browser draws every frame); `compositor` or `remotion` to force one (a draft the compositor cannot draw then fails with the reason).',
  ],
  GEN_VIDEO_CHUNK_SECONDS: [
    z.string().trim().regex(/^\d+(\.\d+)?$/, { message: 'expected a number of seconds' }).transform(Number).pipe(z.number().min(0.1).max(3600)),
    '30',
    'The compositor draws longer videos in chunks of this length (less memory per chunk, a little more time).',
  ],
  GEN_VIDEO_KEEP_COMPOSITE: [bool, 'false', 'Keep the compositor\'s graphs and stills in DATA_DIR/tmp (debugging).'],
  FFMPEG_PATH: [nonEmpty, undefined, 'Default /usr/bin/ffmpeg. The ffmpeg the compositor runs, and that mixes the sound and joins chunks (Debian\'s 5.1; Remotion\'s bundled ffmpeg lacks the filters). Without one, `auto` uses Remotion for everything.'],
  BROWSER_EXECUTABLE: [nonEmpty, undefined, 'Default /usr/bin/chromium-headless-shell (or /usr/bin/chromium). The headless Chromium Remotion drives.'],
  REMOTION_LICENSE_KEY: [nonEmpty, undefined, 'Your Remotion company licence key, if you need one (see Licences).'],
  DOWNLOAD_JOBS: [
    int(1, 64),
    '2',
    'Jobs whose materials download at the same time, before they take a render slot (a slow material holds a download slot, never a render slot).',
  ],
  DOWNLOAD_STALL_SECONDS: [int(1, 3600), '20', 'A material download that receives nothing for this long fails (400 素材无法访问), without retrying.'],
  MAX_CALLBACKS_PER_JOB: [int(1, 1000), '10', 'callback_url values one job keeps; a POST adding more gets 400 callback_url格式无效.'],
  RENDER_PROCESS_MAX_MEMORY_MB: [
    int(64, 1_000_000),
    undefined,
    'Heap limit of one render process (Node\'s own default when unset). A render that needs more fails alone (500 视频渲染失败); the server and the next render go on.',
  ],
  RETENTION_DAYS: [
    z.string().trim().regex(/^\d+(\.\d+)?$/, { message: 'expected a number of days' }).transform(Number).pipe(z.number().min(0.00001).max(36500)),
    '7',
    'Finished jobs (their records and videos, local or S3) are removed after this many days (fractions allowed); a removed video_url answers 404 and a new POST of the draft renders it again.',
  ],
  CACHE_MAX_GB: [
    z.string().trim().regex(/^\d+(\.\d+)?$/, { message: 'expected a number of GB' }).transform(Number).pipe(z.number().min(0.001).max(100000)),
    '5',
    'The material cache (DATA_DIR/cache) is kept under this size: the least recently used files go first (a file used in the last RENDER_TIMEOUT_SECONDS stays).',
  ],
  QUEUE_LIMIT: [int(0, 100000), '20', 'Jobs that may wait for a render slot; beyond that POST answers 503 服务繁忙.'],
  RENDER_TIMEOUT_SECONDS: [int(1, 7 * 24 * 3600), '1800', 'A job running longer than this is stopped: 504 处理超时.'],
  REQUEST_WAIT_SECONDS: [
    int(0, 3600),
    '285',
    'How long POST /v1/gen_video waits for the video before answering 202 (just under the usual 300 s client timeout). `?wait=` overrides per request.',
  ],
  MAX_WAIT_SECONDS: [int(0, 24 * 3600), '3600', 'Largest `?wait=` accepted.'],
  VIDEO_URL_TTL_SECONDS: [int(60, 10 * 365 * 24 * 3600), '604800', 'Lifetime of a returned video_url (S3: at most 7 days).'],
  URL_SIGNING_SECRET: [
    z.string().min(16, { message: 'expected at least 16 characters' }),
    undefined,
    'HMAC secret of local video URLs. Default: a random secret generated once and kept in DATA_DIR/url-signing-secret.',
  ],
  SHUTDOWN_GRACE_SECONDS: [
    int(0, 24 * 3600),
    '60',
    'On SIGTERM/SIGINT, how long a running render may finish; after that it is stopped and re-queued for the next start.',
  ],
  CALLBACK_MAX_ATTEMPTS: [int(1, 20), '5', 'Tries per callback (back-off 1 s, 2 s, 4 s, ...).'],
  CALLBACK_TIMEOUT_SECONDS: [int(1, 600), '10', 'Timeout of one callback POST.'],
  STORAGE: [z.enum(['local', 's3']), 'local', '`local` (DATA_DIR/videos, served by this server at signed URLs) or `s3`.'],
  S3_BUCKET: [nonEmpty, undefined, 'S3: bucket (required with STORAGE=s3).'],
  S3_ENDPOINT: [httpUrl, undefined, 'S3: endpoint of an S3-compatible store (MinIO, R2, OSS, COS...). Unset = AWS.'],
  S3_REGION: [nonEmpty, 'us-east-1', 'S3: region.'],
  S3_ACCESS_KEY_ID: [nonEmpty, undefined, 'S3: access key (unset = the AWS SDK default chain, e.g. AWS_ACCESS_KEY_ID or an instance role).'],
  S3_SECRET_ACCESS_KEY: [nonEmpty, undefined, 'S3: secret key.'],
  S3_FORCE_PATH_STYLE: [bool, undefined, 'S3: path-style URLs (default true when S3_ENDPOINT is set).'],
  S3_KEY_PREFIX: [z.string().trim(), 'videos/', 'S3: prefix of the object keys.'],
  MAX_CANVAS_SIDE: [int(16, 16384), String(DEFAULT_LIMITS.maxCanvasSidePx), 'Largest canvas width or height a draft may ask for (pixels); larger: 400 草稿格式无效.'],
  MAX_FPS: [int(1, 1000), String(DEFAULT_LIMITS.maxFps), 'Highest frame rate a draft may ask for; higher: 400 草稿格式无效.'],
  MAX_VIDEO_SECONDS: [int(1, 7 * 24 * 3600), String(DEFAULT_LIMITS.maxDurationSec), 'Longest video (every segment must end before it; key frames, transitions and fades are no longer); longer: 400 草稿格式无效.'],
  MAX_SEGMENTS: [int(1, 1_000_000), String(DEFAULT_LIMITS.maxSegments), 'Most segments a draft may hold (all tracks); more: 400 草稿格式无效.'],
  MAX_PICTURE_MEGAPIXELS: [int(1, 10_000), String(DEFAULT_LIMITS.maxPictureMegapixels), 'Largest picture (photo or video frame) a material may have, in megapixels; larger: 400 素材无法访问.'],
  RENDER_BACKEND: [
    z.enum(['local', 'lambda']),
    'local',
    '`local`: this machine draws the frames (RENDER_ENGINE); `lambda`: Remotion Lambda on AWS draws them with the Remotion composition (materials still download here first, for the checks; see Remotion Lambda). The REMOTION_AWS_* and REMOTION_LAMBDA_* settings are read only with `lambda`.',
  ],
  REMOTION_AWS_REGION: [z.enum(LAMBDA_REGIONS), 'us-east-1', 'Lambda: AWS region of the function, its bucket and the site.'],
  REMOTION_LAMBDA_FUNCTION_NAME: [nonEmpty, undefined, 'Lambda: the render function (required; `npm run lambda:deploy` prints it).'],
  REMOTION_LAMBDA_SERVE_URL: [httpUrl, undefined, 'Lambda: URL of the deployed site, our composition bundle on S3 (required; `npm run lambda:deploy` prints it).'],
  REMOTION_LAMBDA_BUCKET: [nonEmpty, undefined, "Lambda: Remotion's bucket in the region (render progress, props over the inline limit). Unset: Remotion finds its `remotionlambda-*` bucket."],
  REMOTION_LAMBDA_SITE_NAME: [z.string().trim().regex(/^[0-9a-zA-Z!_.*'()-]+$/, { message: "expected letters, digits and - ! _ . * ' ( )" }), undefined, 'Lambda, deploy only: name of the site. Default `gen-video-<hash of the composition sources>`, so a changed composition gets a new site.'],
  REMOTION_LAMBDA_FRAMES_PER_LAMBDA: [int(LAMBDA_LIMITS.minFramesPerLambda, 1_000_000), undefined, `Lambda: frames each renderer function draws (at least ${LAMBDA_LIMITS.minFramesPerLambda}). Unset: Remotion's default for the video's length. Not with REMOTION_LAMBDA_CONCURRENCY.`],
  REMOTION_LAMBDA_CONCURRENCY: [int(1, LAMBDA_LIMITS.maxConcurrency), undefined, `Lambda: renderer functions per render (at most ${LAMBDA_LIMITS.maxConcurrency}) instead of REMOTION_LAMBDA_FRAMES_PER_LAMBDA.`],
  REMOTION_LAMBDA_PRIVACY: [z.enum(LAMBDA_PRIVACIES), undefined, "Lambda: ACL of the video object: `private`, `public` or `no-acl`. Default `no-acl` when Lambda writes into the S3_BUCKET (buckets with ACLs disabled, other clouds), else `private`."],
  REMOTION_LAMBDA_TIMEOUT_SECONDS: [int(LAMBDA_LIMITS.minTimeoutSec, LAMBDA_LIMITS.maxTimeoutSec), String(LAMBDA_FUNCTION_DEFAULTS.timeoutSec), `Lambda: the function's timeout (deploy; at most ${LAMBDA_LIMITS.maxTimeoutSec}, AWS's 15 minutes). A function running longer is killed: 504 处理超时.`],
  REMOTION_LAMBDA_MEMORY_MB: [int(LAMBDA_LIMITS.minMemoryMb, LAMBDA_LIMITS.maxMemoryMb), String(LAMBDA_FUNCTION_DEFAULTS.memoryMb), 'Lambda: memory of the function (deploy; the cost grows with it).'],
  REMOTION_LAMBDA_DISK_MB: [int(LAMBDA_LIMITS.minDiskMb, LAMBDA_LIMITS.maxDiskMb), String(LAMBDA_FUNCTION_DEFAULTS.diskMb), 'Lambda: ephemeral disk of the function (deploy).'],
  REMOTION_LAMBDA_STALL_SECONDS: [int(5, 24 * 3600), String(DEFAULT_STALL_SECONDS), 'Lambda: a render whose progress does not change for this long is cancelled: 504 处理超时.'],
  REMOTION_AWS_ACCESS_KEY_ID: [nonEmpty, undefined, "Lambda: AWS access key Remotion uses (Remotion's name; preferred over AWS_ACCESS_KEY_ID). Unset: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the AWS SDK's default chain (e.g. an instance role)."],
  REMOTION_AWS_SECRET_ACCESS_KEY: [nonEmpty, undefined, 'Lambda: the secret of REMOTION_AWS_ACCESS_KEY_ID (both or neither).'],
} as const;

/** Read (and checked) only with RENDER_BACKEND=lambda: a local server never trips over them. */
const LAMBDA_SETTINGS = new Set(Object.keys(SETTINGS).filter((name) => name.startsWith('REMOTION_AWS_') || name.startsWith('REMOTION_LAMBDA_')));


type Settings = typeof SETTINGS;
type Raw = { [K in keyof Settings]: z.output<Settings[K][0]> | undefined };

export interface S3Config extends S3StoreFacts {
  keyPrefix: string;
}

export interface FarmConfig {
  redisUrl: string;
  workerConcurrency: number;
  workerPort?: number;
  nodeName: string;
  splitSeconds: number;
}

export interface Config {
  /** Farm mode (REDIS_URL); absent: everything in one process. */
  farm?: FarmConfig;
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  /** Without trailing slash; undefined = http://localhost:<listening port>. */
  publicBaseUrl?: string;
  allowPrivateNetwork: boolean;
  /** Exact IPs (canonical form) allowed even though private; empty = none. */
  privateNetworkAllowlist: string[];
  apiKeys: string[];
  renderConcurrency: number;
  renderEngine: RenderEngine;
  /** Heap limit of a render process, MB; undefined = Node's default. */
  renderProcessMaxMemoryMb?: number;
  queueLimit: number;
  retentionDays: number;
  cacheMaxBytes: number;
  downloadJobs: number;
  maxCallbacksPerJob: number;
  renderTimeoutSec: number;
  requestWaitSec: number;
  maxWaitSec: number;
  videoUrlTtlSec: number;
  urlSigningSecret?: string;
  shutdownGraceSec: number;
  callbackMaxAttempts: number;
  callbackTimeoutSec: number;
  storage: 'local' | 's3';
  s3?: S3Config;
  /** Where frames are drawn: this machine, or Remotion Lambda (then `lambda` is set). */
  renderBackend: 'local' | 'lambda';
  lambda?: LambdaSettings;
  /** Checked on every draft before any work, and on each material once read. */
  limits: DraftLimits;
  /** Everything a render needs, passed down to the pipeline. */
  render: RenderSettings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw = {} as Record<string, unknown>;
  const lambdaOn = env.RENDER_BACKEND?.trim() === 'lambda';
  for (const [name, [schema, fallback]] of Object.entries(SETTINGS) as [string, readonly [z.ZodType, string | undefined, string]][]) {
    if (!lambdaOn && LAMBDA_SETTINGS.has(name)) continue;
    const given = env[name];
    const value = given === undefined || given.trim() === '' ? fallback : given;
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else problems.push(`${name}=${JSON.stringify(given)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const r = raw as Raw;

  let s3: S3Config | undefined;
  if (r.STORAGE === 's3') {
    if (!r.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE=s3');
    if (Boolean(r.S3_ACCESS_KEY_ID) !== Boolean(r.S3_SECRET_ACCESS_KEY)) {
      problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: give both or neither');
    }
    if ((r.VIDEO_URL_TTL_SECONDS ?? 0) > MAX_S3_URL_TTL_SEC) {
      problems.push(`VIDEO_URL_TTL_SECONDS: at most ${MAX_S3_URL_TTL_SEC} (7 days) with STORAGE=s3`);
    }
    s3 = {
      bucket: r.S3_BUCKET ?? '',
      endpoint: r.S3_ENDPOINT,
      region: r.S3_REGION ?? 'us-east-1',
      accessKeyId: r.S3_ACCESS_KEY_ID,
      secretAccessKey: r.S3_SECRET_ACCESS_KEY,
      forcePathStyle: r.S3_FORCE_PATH_STYLE ?? Boolean(r.S3_ENDPOINT),
      keyPrefix: r.S3_KEY_PREFIX ?? '',
    };
  }
  const lambdaPlan = lambdaOn ? checkLambda(r, s3, problems) : undefined;
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(r.DATA_DIR!);
  const limits: DraftLimits = {
    maxCanvasSidePx: r.MAX_CANVAS_SIDE!,
    maxFps: r.MAX_FPS!,
    maxDurationSec: r.MAX_VIDEO_SECONDS!,
    maxSegments: r.MAX_SEGMENTS!,
    maxPictureMegapixels: r.MAX_PICTURE_MEGAPIXELS!,
  };
  const nodeName = r.NODE_NAME ?? (os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'node');
  const render = renderSettings({
    dataDir,
    // Nodes of a farm may share DATA_DIR (one host, a shared volume): each has a work folder of its own.
    ...(r.REDIS_URL ? { workDir: path.join(dataDir, 'tmp', nodeName) } : {}),
    engine: r.RENDER_ENGINE!,
    ffmpegPath: r.FFMPEG_PATH,
    browserExecutable: r.BROWSER_EXECUTABLE,
    chunkSeconds: r.GEN_VIDEO_CHUNK_SECONDS,
    remotionLicenseKey: r.REMOTION_LICENSE_KEY,
    keepWorkFiles: r.GEN_VIDEO_KEEP_COMPOSITE,
    limits,
    allowPrivateNetwork: r.ALLOW_PRIVATE_NETWORK!,
    allowAddresses: r.PRIVATE_NETWORK_ALLOWLIST ?? [],
    downloads: { stallTimeoutMs: r.DOWNLOAD_STALL_SECONDS! * 1000 },
  });
  return {
    ...(r.REDIS_URL
      ? {
          farm: {
            redisUrl: r.REDIS_URL,
            workerConcurrency: r.WORKER_CONCURRENCY!,
            workerPort: r.WORKER_PORT,
            nodeName,
            splitSeconds: r.FARM_SPLIT_SECONDS!,
          },
        }
      : {}),
    port: r.PORT!,
    host: r.HOST!,
    dataDir,
    publicBaseUrl: r.PUBLIC_BASE_URL,
    allowPrivateNetwork: r.ALLOW_PRIVATE_NETWORK!,
    privateNetworkAllowlist: r.PRIVATE_NETWORK_ALLOWLIST ?? [],
    apiKeys: r.API_KEYS ?? [],
    renderConcurrency: r.RENDER_CONCURRENCY ?? defaultConcurrency(),
    renderEngine: r.RENDER_ENGINE!,
    renderProcessMaxMemoryMb: r.RENDER_PROCESS_MAX_MEMORY_MB,
    queueLimit: r.QUEUE_LIMIT!,
    retentionDays: r.RETENTION_DAYS!,
    cacheMaxBytes: Math.round(r.CACHE_MAX_GB! * 1e9),
    downloadJobs: r.DOWNLOAD_JOBS!,
    maxCallbacksPerJob: r.MAX_CALLBACKS_PER_JOB!,
    renderTimeoutSec: r.RENDER_TIMEOUT_SECONDS!,
    requestWaitSec: Math.min(r.REQUEST_WAIT_SECONDS!, r.MAX_WAIT_SECONDS!),
    maxWaitSec: r.MAX_WAIT_SECONDS!,
    videoUrlTtlSec: r.VIDEO_URL_TTL_SECONDS!,
    urlSigningSecret: r.URL_SIGNING_SECRET,
    shutdownGraceSec: r.SHUTDOWN_GRACE_SECONDS!,
    callbackMaxAttempts: r.CALLBACK_MAX_ATTEMPTS!,
    callbackTimeoutSec: r.CALLBACK_TIMEOUT_SECONDS!,
    storage: r.STORAGE!,
    s3,
    renderBackend: lambdaOn ? 'lambda' : 'local',
    ...(lambdaPlan ? { lambda: lambdaSettingsOf(r, lambdaPlan, render) } : {}),
    limits,
    render,
  };
}

/**
 * The settings of a process about to start, or exit code 2 with every problem listed (`check`
 * adds the process's own requirements).
 */
export function configOrExit(check: (config: Config) => string[] = () => []): Config {
  try {
    const config = loadConfig();
    const problems = check(config);
    if (problems.length) throw new ConfigError(problems);
    return config;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

/**
 * RENDER_BACKEND=lambda: what is missing or contradicts itself joins `problems` (all listed at once);
 * answers how the video reaches S3 (STORAGE=s3).
 */
function checkLambda(r: Raw, s3: S3Config | undefined, problems: string[]): { s3Output?: S3OutputPlan } {
  if (!r.REMOTION_LAMBDA_FUNCTION_NAME) problems.push('REMOTION_LAMBDA_FUNCTION_NAME: required when RENDER_BACKEND=lambda (`npm run lambda:deploy` prints it)');
  if (!r.REMOTION_LAMBDA_SERVE_URL) problems.push('REMOTION_LAMBDA_SERVE_URL: required when RENDER_BACKEND=lambda (`npm run lambda:deploy` prints it)');
  const region = r.REMOTION_AWS_REGION;
  const version = /^remotion-render-(\d+-\d+-\d+)/.exec(r.REMOTION_LAMBDA_FUNCTION_NAME ?? '')?.[1];
  if (version && version !== LAMBDA_VERSION_TAG) {
    problems.push(`REMOTION_LAMBDA_FUNCTION_NAME: ${r.REMOTION_LAMBDA_FUNCTION_NAME} was deployed for Remotion ${version.replace(/-/g, '.')}, this server uses ${LAMBDA_VERSION_TAG.replace(/-/g, '.')} (run npm run lambda:deploy)`);
  }
  if (r.REMOTION_LAMBDA_SERVE_URL) {
    const host = new URL(r.REMOTION_LAMBDA_SERVE_URL).hostname;
    const siteRegion = serveUrlRegion(r.REMOTION_LAMBDA_SERVE_URL);
    if (isPrivateHost(host)) problems.push(`REMOTION_LAMBDA_SERVE_URL: ${host} is on this network, out of Lambda's reach`);
    else if (region && siteRegion && siteRegion !== region) problems.push(`REMOTION_LAMBDA_SERVE_URL: the site is in ${siteRegion}, REMOTION_AWS_REGION is ${region} (site and function must share a region)`);
  }
  if (r.RENDER_ENGINE === 'compositor') {
    problems.push('RENDER_ENGINE=compositor: with RENDER_BACKEND=lambda, Remotion Lambda draws every frame with the Remotion composition (the compositor only runs here); unset RENDER_ENGINE or use RENDER_BACKEND=local');
  }
  if (r.REMOTION_LAMBDA_FRAMES_PER_LAMBDA !== undefined && r.REMOTION_LAMBDA_CONCURRENCY !== undefined) {
    problems.push('REMOTION_LAMBDA_FRAMES_PER_LAMBDA and REMOTION_LAMBDA_CONCURRENCY: give one or neither (Remotion refuses both)');
  }
  if (Boolean(r.REMOTION_AWS_ACCESS_KEY_ID) !== Boolean(r.REMOTION_AWS_SECRET_ACCESS_KEY)) {
    problems.push('REMOTION_AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY: give both or neither');
  }
  if (!s3 || !region) return {};
  return { s3Output: planS3Output(s3, region, isPrivateHost) };
}

function lambdaSettingsOf(r: Raw, plan: { s3Output?: S3OutputPlan }, render: RenderSettings): LambdaSettings {
  const intoOurBucket = plan.s3Output !== undefined && plan.s3Output.mode !== 'download';
  return {
    region: r.REMOTION_AWS_REGION!,
    functionName: r.REMOTION_LAMBDA_FUNCTION_NAME!,
    serveUrl: r.REMOTION_LAMBDA_SERVE_URL!,
    bucket: r.REMOTION_LAMBDA_BUCKET,
    framesPerLambda: r.REMOTION_LAMBDA_FRAMES_PER_LAMBDA,
    concurrency: r.REMOTION_LAMBDA_CONCURRENCY,
    privacy: r.REMOTION_LAMBDA_PRIVACY ?? (intoOurBucket ? 'no-acl' : 'private'),
    functionTimeoutSec: r.REMOTION_LAMBDA_TIMEOUT_SECONDS!,
    memoryMb: r.REMOTION_LAMBDA_MEMORY_MB!,
    diskMb: r.REMOTION_LAMBDA_DISK_MB!,
    stallTimeoutMs: r.REMOTION_LAMBDA_STALL_SECONDS! * 1000,
    pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
    s3Output: plan.s3Output,
    licenseKey: render.remotionLicenseKey,
    encode: render.encode,
  };
}

/** The settings table for the README: name, default, meaning. */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(([name, [, def, meaning]]) => `| \`${name}\` | ${def ? `\`${def}\`` : ''} | ${meaning} |`);
  return ['| Setting | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
