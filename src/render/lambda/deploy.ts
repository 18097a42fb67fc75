/**
 * npm run lambda:deploy: the render function, Remotion's bucket and our site (the composition bundle,
 * fonts included), each found first and created only when missing; `dryRun` only reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LambdaClient } from './client';
import { lambdaFunctionName, type LambdaRegion } from './settings';

/** The fonts src/composition/fonts.ts imports (CSS family names as @fontsource writes them). */
export const BUNDLED_FONT_FAMILIES = [
  'Noto Sans SC',
  'Noto Serif SC',
  'LXGW WenKai',
  'ZCOOL KuaiLe',
  'ZCOOL QingKe HuangYou',
  'ZCOOL XiaoWei',
  'Ma Shan Zheng',
  'Twemoji',
] as const;

export interface BundleFonts {
  /** BUNDLED_FONT_FAMILIES declared by the bundle's @font-face rules. */
  families: string[];
  /** Font files in the bundle folder (uploaded with the site). */
  fontFiles: number;
  /** Font files the bundle's code refers to but the folder lacks. */
  missing: string[];
}

/** Which of our fonts a bundle folder carries: they travel with the site, so Lambda draws Chinese text with them. */
export const bundleFonts = (bundleDir: string): BundleFonts => {
  const files = readdirSync(bundleDir);
  const fontNames = new Set(files.filter((f) => /\.(woff2?|ttf|otf)$/i.test(f)));
  const code = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(bundleDir, f), 'utf8')).join('\n');
  const families = BUNDLED_FONT_FAMILIES.filter((family) => code.includes(`font-family: '${family}'`) || code.includes(`font-family: "${family}`) || code.includes(`font-family: \\"${family}`));
  const referenced = new Set(code.match(/[\w.-]+\.(?:woff2?|ttf|otf)\b/g) ?? []);
  const missing = [...referenced].filter((name) => /^[0-9a-f]{8,}\.\w+$/.test(name) && !fontNames.has(name));
  return { families, fontFiles: fontNames.size, missing };
};

export interface DeployOptions {
  region: LambdaRegion;
  memoryMb: number;
  diskMb: number;
  timeoutSec: number;
  /** The site's name (a changed composition should get a new one: see `siteNameFor`). */
  siteName: string;
  /** Remotion's bucket to use when the region has several. */
  bucket?: string;
  /** Print what would be created and change nothing. */
  dryRun: boolean;
  /** Builds (or finds) our composition bundle; answers its folder. */
  bundle: () => Promise<string>;
  print: (line: string) => void;
}

export interface DeployResult {
  region: LambdaRegion;
  functionName: string;
  bucketName: string;
  serveUrl: string;
  siteName: string;
  created: { function: boolean; bucket: boolean; site: boolean };
  /** The settings to give the server. */
  envLines: string[];
}

/** `gen-video-<hash of the composition's sources>`: same sources, same site. */
export const siteNameFor = (sourcesHash: string): string => `gen-video-${sourcesHash}`;

/** The serve URL deploySite gives a site (Remotion's S3 layout). */
const predictedServeUrl = (bucket: string, region: string, siteName: string) => `https://${bucket}.s3.${region}.amazonaws.com/sites/${siteName}/index.html`;

export async function deployLambda(client: LambdaClient, o: DeployOptions): Promise<DeployResult> {
  const { region, print } = o;
  const created = { function: false, bucket: false, site: false };

  // 1. The function: one of this Remotion version with the same memory, disk and timeout.
  const wanted = lambdaFunctionName({ memoryMb: o.memoryMb, diskMb: o.diskMb, timeoutSec: o.timeoutSec });
  const existing = (await client.getFunctions({ region })).find(
    (f) => f.memorySizeInMb === o.memoryMb && f.diskSizeInMb === o.diskMb && f.timeoutInSeconds === o.timeoutSec,
  );
  let functionName: string;
  if (existing) {
    functionName = existing.functionName;
    print(`function ${functionName} exists in ${region}: reused`);
  } else if (o.dryRun) {
    functionName = wanted;
    print(`would deploy function ${functionName} in ${region} (${o.memoryMb} MB memory, ${o.diskMb} MB disk, ${o.timeoutSec} s timeout, runtime preference cjk)`);
    created.function = true;
  } else {
    // runtimePreference 'cjk' (Remotion's default, said explicitly): the function's system fonts
    // include CJK glyphs; our own fonts come with the site.
    const out = await client.deployFunction({ region, memorySizeInMb: o.memoryMb, diskSizeInMb: o.diskMb, timeoutInSeconds: o.timeoutSec, runtimePreference: 'cjk' });
    functionName = out.functionName;
    created.function = !out.alreadyExisted;
    print(`${out.alreadyExisted ? 'found' : 'deployed'} function ${functionName} in ${region}`);
  }

  // 2. Remotion's bucket in the region (sites, render progress, oversized props).
  const { sites, buckets } = await client.getSites({ region });
  const inRegion = buckets.filter((b) => b.region === region);
  let bucketName: string;
  if (o.bucket) {
    if (!inRegion.some((b) => b.name === o.bucket)) throw new Error(`bucket ${o.bucket} is not a Remotion bucket in ${region} (found: ${inRegion.map((b) => b.name).join(', ') || 'none'})`);
    bucketName = o.bucket;
    print(`bucket ${bucketName}: reused`);
  } else if (inRegion.length > 1) {
    throw new Error(`${region} has several Remotion buckets (${inRegion.map((b) => b.name).join(', ')}): choose one with --bucket or REMOTION_LAMBDA_BUCKET`);
  } else if (inRegion.length === 1) {
    bucketName = inRegion[0].name;
    print(`bucket ${bucketName} exists: reused`);
  } else if (o.dryRun) {
    bucketName = `remotionlambda-${region.replace(/-/g, '')}-<random>`;
    print(`would create a bucket in ${region} (getOrCreateBucket)`);
    created.bucket = true;
  } else {
    const out = await client.getOrCreateBucket({ region });
    bucketName = out.bucketName;
    created.bucket = !out.alreadyExisted;
    print(`${out.alreadyExisted ? 'found' : 'created'} bucket ${bucketName}`);
  }

  // 3. Our site: the bundle of src/composition/index.ts, fonts included.
  const site = sites.find((s) => s.id === o.siteName && s.bucketName === bucketName);
  let serveUrl: string;
  if (site) {
    serveUrl = site.serveUrl;
    print(`site ${o.siteName} exists (same composition sources): reused`);
  } else if (o.dryRun) {
    serveUrl = predictedServeUrl(bucketName, region, o.siteName);
    print(`would bundle src/composition/index.ts (fonts included) and upload it as site ${o.siteName}`);
    created.site = true;
  } else {
    const bundleDir = await o.bundle();
    const fonts = bundleFonts(bundleDir);
    const absent = ['Noto Sans SC', 'Twemoji'].filter((f) => !fonts.families.includes(f));
    if (absent.length || fonts.missing.length) {
      throw new Error(`the bundle in ${bundleDir} lacks fonts (${[...absent, ...fonts.missing.slice(0, 5)].join(', ')}): Chinese text would not draw the same on Lambda`);
    }
    print(`bundle ${bundleDir}: ${fonts.fontFiles} font files (${fonts.families.join(', ')}) go up with the site`);
    const out = await client.deploySite({ region, bucketName, bundleDir, siteName: o.siteName });
    serveUrl = out.serveUrl;
    created.site = true;
    print(`deployed site ${out.siteName} (${out.stats.uploadedFiles} files uploaded, ${out.stats.untouchedFiles} unchanged, ${out.stats.deletedFiles} deleted)`);
  }

  const envLines = [
    'RENDER_BACKEND=lambda',
    `REMOTION_AWS_REGION=${region}`,
    `REMOTION_LAMBDA_FUNCTION_NAME=${functionName}`,
    `REMOTION_LAMBDA_SERVE_URL=${serveUrl}`,
    `REMOTION_LAMBDA_BUCKET=${bucketName}`,
    ...(o.timeoutSec !== 120 ? [`REMOTION_LAMBDA_TIMEOUT_SECONDS=${o.timeoutSec}`] : []),
  ];
  print('');
  print(o.dryRun ? 'Dry run: nothing was created. A deploy would end with these settings:' : 'Set these for the server (environment):');
  for (const line of envLines) print(`  ${line}`);
  return { region, functionName, bucketName, serveUrl, siteName: o.siteName, created, envLines };
}
