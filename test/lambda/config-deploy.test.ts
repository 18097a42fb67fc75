// RENDER_BACKEND=lambda settings (every problem in one ConfigError, exit 2 at start) and
// npm run lambda:deploy with the fake client (dry run, idempotency, fonts in the bundle).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsTable } from '../../server/config';
import { inputsHash } from '../../src/render/bundle';
import { runDeploy } from '../../src/render/lambda/deploy-cli';
import { bundleFonts, deployLambda, siteNameFor, type DeployOptions } from '../../src/render/lambda/deploy';
import { createFakeLambdaClient } from '../helpers/fake-lambda';
import { LAMBDA_INLINE_PROPS_LIMIT } from '../../src/render/lambda/props';
import { LAMBDA_REGIONS, lambdaFunctionName } from '../../src/render/lambda/settings';
import { tempDir } from '../helpers/media';
import { startServer } from '../server/helpers/server-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = tempDir('gen-video-lambda-deploy-');
afterAll(() => tmp.cleanup());

const FUNCTION = 'remotion-render-4-0-527-mem2048mb-disk2048mb-120sec';
const SITE = 'https://remotionlambda-useast1-abcdef.s3.us-east-1.amazonaws.com/sites/gen-video-1234/index.html';
const LAMBDA = { RENDER_BACKEND: 'lambda', REMOTION_LAMBDA_FUNCTION_NAME: FUNCTION, REMOTION_LAMBDA_SERVE_URL: SITE };

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('RENDER_BACKEND=lambda settings', () => {
  it('without RENDER_BACKEND: local, as before, and the Lambda settings are not even read', () => {
    const c = loadConfig({});
    expect(c.renderBackend).toBe('local');
    expect(c.lambda).toBeUndefined();
    const ignored = loadConfig({ REMOTION_LAMBDA_MEMORY_MB: 'lots', REMOTION_AWS_REGION: 'moon-1', RENDER_ENGINE: 'compositor' });
    expect(ignored.lambda).toBeUndefined();
    expect(ignored.renderEngine).toBe('compositor');
  });

  it('lists everything missing in one error', () => {
    const problems = problemsOf({ RENDER_BACKEND: 'lambda' });
    expect(problems).toEqual([
      'REMOTION_LAMBDA_FUNCTION_NAME: required when RENDER_BACKEND=lambda (`npm run lambda:deploy` prints it)',
      'REMOTION_LAMBDA_SERVE_URL: required when RENDER_BACKEND=lambda (`npm run lambda:deploy` prints it)',
    ]);
  });

  it('lists every bad or contradictory value in one error', () => {
    const problems = problemsOf({
      RENDER_BACKEND: 'lambda',
      RENDER_ENGINE: 'compositor',
      REMOTION_AWS_REGION: 'us-east-1',
      REMOTION_LAMBDA_FUNCTION_NAME: 'remotion-render-4-0-400-mem2048mb-disk2048mb-120sec',
      REMOTION_LAMBDA_SERVE_URL: 'https://remotionlambda-euwest1-abc.s3.eu-west-1.amazonaws.com/sites/x/index.html',
      REMOTION_LAMBDA_FRAMES_PER_LAMBDA: '3',
      REMOTION_LAMBDA_CONCURRENCY: '500',
      REMOTION_LAMBDA_TIMEOUT_SECONDS: '1200',
      REMOTION_LAMBDA_PRIVACY: 'secret',
      REMOTION_AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    });
    const text = problems.join('\n');
    expect(text).toContain('REMOTION_LAMBDA_FRAMES_PER_LAMBDA="3": expected at least 5');
    expect(text).toContain('REMOTION_LAMBDA_CONCURRENCY="500": expected at most 200');
    expect(text).toContain('REMOTION_LAMBDA_TIMEOUT_SECONDS="1200": expected at most 900');
    expect(text).toContain('REMOTION_LAMBDA_PRIVACY="secret"');
    expect(text).toContain('was deployed for Remotion 4.0.400, this server uses 4.0.527');
    expect(text).toContain('the site is in eu-west-1, REMOTION_AWS_REGION is us-east-1');
    expect(text).toContain('RENDER_ENGINE=compositor: with RENDER_BACKEND=lambda');
    expect(text).toContain('REMOTION_AWS_ACCESS_KEY_ID and REMOTION_AWS_SECRET_ACCESS_KEY: give both or neither');
    expect(problems.length).toBe(8);

    expect(problemsOf({ ...LAMBDA, REMOTION_LAMBDA_FRAMES_PER_LAMBDA: '20', REMOTION_LAMBDA_CONCURRENCY: '50' })).toEqual([
      'REMOTION_LAMBDA_FRAMES_PER_LAMBDA and REMOTION_LAMBDA_CONCURRENCY: give one or neither (Remotion refuses both)',
    ]);
    expect(problemsOf({ ...LAMBDA, REMOTION_LAMBDA_SERVE_URL: 'http://127.0.0.1:3000/bundle/index.html', REMOTION_AWS_REGION: 'mars-1' })).toEqual([
      expect.stringMatching(/^REMOTION_AWS_REGION="mars-1": /),
      "REMOTION_LAMBDA_SERVE_URL: 127.0.0.1 is on this network, out of Lambda's reach",
    ]);
  });

  it('builds the backend settings: local storage downloads, S3 in the same region is written by Lambda', () => {
    const local = loadConfig({ ...LAMBDA, REMOTION_LAMBDA_FRAMES_PER_LAMBDA: '30', REMOTION_LICENSE_KEY: 'rm_key' });
    expect(local.renderBackend).toBe('lambda');
    expect(local.lambda).toMatchObject({
      region: 'us-east-1',
      functionName: FUNCTION,
      serveUrl: SITE,
      framesPerLambda: 30,
      privacy: 'private',
      functionTimeoutSec: 120,
      memoryMb: 2048,
      diskMb: 2048,
      stallTimeoutMs: 120_000,
      pollIntervalMs: 2000,
      licenseKey: 'rm_key',
      encode: local.render.encode,
    });
    expect(local.lambda!.s3Output).toBeUndefined();

    const s3 = { ...LAMBDA, STORAGE: 's3', S3_BUCKET: 'our-videos' };
    expect(loadConfig({ ...s3, S3_REGION: 'us-east-1' }).lambda).toMatchObject({ s3Output: { mode: 'direct' }, privacy: 'no-acl' });
    expect(loadConfig({ ...s3, S3_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' }).lambda!.s3Output).toEqual({
      mode: 'provider',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      forcePathStyle: false,
    });
    expect(loadConfig({ ...s3, S3_REGION: 'eu-west-1' }).lambda).toMatchObject({ s3Output: { mode: 'download' }, privacy: 'private' });
    expect(loadConfig({ ...s3, S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK', S3_REGION: 'auto' }).lambda!.s3Output).toMatchObject({
      mode: 'provider',
      endpoint: 'https://acct.r2.cloudflarestorage.com',
      forcePathStyle: true,
    });
    const minio = loadConfig({ ...s3, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' }).lambda!.s3Output;
    expect(minio).toEqual({ mode: 'download', reason: expect.stringContaining("127.0.0.1 is on this network, out of Lambda's reach") });
  });

  it('npm start with a bad Lambda configuration exits 2 with one message listing every problem', async () => {
    const err = await startServer({ RENDER_BACKEND: 'lambda', RENDER_ENGINE: 'compositor' }, { timeoutMs: 60_000 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/server exited with 2 before listening/);
    for (const name of ['REMOTION_LAMBDA_FUNCTION_NAME', 'REMOTION_LAMBDA_SERVE_URL', 'RENDER_ENGINE=compositor']) expect(err!.message).toContain(name);
  });

  it('the README lists the Lambda settings exactly as SETTINGS describes them', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = settingsTable()
      .split('\n')
      .filter((row) => /^\| `(RENDER_BACKEND|REMOTION_AWS_|REMOTION_LAMBDA_)/.test(row));
    expect(rows.length).toBe(15);
    for (const row of rows) expect(readme, row).toContain(row);
  });
});

describe("Remotion's own numbers", () => {
  it('regions, function names and the inline props limit are those of @remotion/lambda 4.0.527', async () => {
    const lambda = await import('@remotion/lambda');
    const client = await import('@remotion/lambda/client');
    expect([...LAMBDA_REGIONS].sort()).toEqual([...lambda.getRegions()].sort());
    const shape = { memoryMb: 3009, diskMb: 4096, timeoutSec: 240 };
    expect(lambdaFunctionName(shape)).toBe(client.speculateFunctionName({ memorySizeInMb: 3009, diskSizeInMb: 4096, timeoutInSeconds: 240 }));
    const aws = client.LambdaClientInternals.awsImplementation;
    expect(LAMBDA_INLINE_PROPS_LIMIT).toBe(aws.getMaxNonInlinePayloadSizePerFunction() - 5000 - 1024);
  });
});

/** A stand-in for our bundle: index.html, code declaring the fonts, and the font files it names. */
const fakeBundle = (dir: string, withFonts = true): string => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<html></html>');
  const faces = ['Noto Sans SC', 'Twemoji'].map((f, i) => `@font-face { font-family: '${f}'; src: url(0123456789abcde${i}.woff2) }`).join('\n');
  writeFileSync(path.join(dir, 'bundle.js'), `module.exports = ${JSON.stringify(faces)};`);
  if (withFonts) for (const i of [0, 1]) writeFileSync(path.join(dir, `0123456789abcde${i}.woff2`), 'wOF2');
  return dir;
};

describe('npm run lambda:deploy', () => {
  const options = (over: Partial<DeployOptions>, lines: string[]): DeployOptions => ({
    region: 'eu-central-1',
    memoryMb: 2048,
    diskMb: 2048,
    timeoutSec: 120,
    siteName: 'gen-video-test',
    dryRun: false,
    bundle: async () => fakeBundle(path.join(tmp.dir, 'bundle')),
    print: (line) => lines.push(line),
    ...over,
  });
  const MUTATING = ['deployFunction', 'getOrCreateBucket', 'deploySite'] as const;

  it('--dry-run prints what it would create and changes nothing', async () => {
    const fake = createFakeLambdaClient();
    const lines: string[] = [];
    let bundled = 0;
    const out = await deployLambda(fake, options({ dryRun: true, bundle: async () => String(++bundled) }, lines));
    for (const method of MUTATING) expect(fake.callsOf(method)).toEqual([]);
    expect(bundled).toBe(0);
    expect(out.created).toEqual({ function: true, bucket: true, site: true });
    const text = lines.join('\n');
    expect(text).toContain('would deploy function remotion-render-4-0-527-mem2048mb-disk2048mb-120sec in eu-central-1');
    expect(text).toContain('would create a bucket in eu-central-1');
    expect(text).toContain('would bundle src/composition/index.ts (fonts included) and upload it as site gen-video-test');
    expect(text).toContain('Dry run: nothing was created');
    expect(text).toContain('  RENDER_BACKEND=lambda');
    expect(text).toContain('  REMOTION_LAMBDA_FUNCTION_NAME=remotion-render-4-0-527-mem2048mb-disk2048mb-120sec');
  });

  it('creates what is missing once; a second deploy finds and reuses everything', async () => {
    const fake = createFakeLambdaClient();
    const first: string[] = [];
    const one = await deployLambda(fake, options({}, first));
    expect(one.created).toEqual({ function: true, bucket: true, site: true });
    expect(fake.callsOf('deployFunction')[0].input).toMatchObject({ runtimePreference: 'cjk', memorySizeInMb: 2048, diskSizeInMb: 2048, timeoutInSeconds: 120 });
    expect(one.serveUrl).toBe('https://remotionlambda-eucentral1-fake0001.s3.eu-central-1.amazonaws.com/sites/gen-video-test/index.html');
    expect(first.join('\n')).toMatch(/2 font files \(Noto Sans SC, Twemoji\) go up with the site/);
    expect(one.envLines).toEqual([
      'RENDER_BACKEND=lambda',
      'REMOTION_AWS_REGION=eu-central-1',
      'REMOTION_LAMBDA_FUNCTION_NAME=remotion-render-4-0-527-mem2048mb-disk2048mb-120sec',
      `REMOTION_LAMBDA_SERVE_URL=${one.serveUrl}`,
      'REMOTION_LAMBDA_BUCKET=remotionlambda-eucentral1-fake0001',
    ]);
    // The printed settings are a valid server configuration.
    const env = Object.fromEntries(one.envLines.map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(loadConfig(env).lambda).toMatchObject({ region: 'eu-central-1', serveUrl: one.serveUrl, bucket: one.bucketName });

    const before = fake.calls.length;
    const second: string[] = [];
    let bundled = 0;
    const two = await deployLambda(fake, options({ bundle: async () => String(++bundled) }, second));
    expect(two).toMatchObject({ functionName: one.functionName, bucketName: one.bucketName, serveUrl: one.serveUrl, envLines: one.envLines });
    expect(two.created).toEqual({ function: false, bucket: false, site: false });
    expect(fake.calls.slice(before).map((c) => c.method)).toEqual(['getFunctions', 'getSites']);
    expect(bundled).toBe(0);
    expect(second.join('\n')).toMatch(/function .* exists in eu-central-1: reused[\s\S]*bucket .* exists: reused[\s\S]*site gen-video-test exists/);

    // Another shape is another function; a changed composition is another site.
    const three = await deployLambda(fake, options({ timeoutSec: 300, siteName: 'gen-video-other' }, []));
    expect(three.functionName).toBe(lambdaFunctionName({ memoryMb: 2048, diskMb: 2048, timeoutSec: 300 }));
    expect(three.created).toEqual({ function: true, bucket: false, site: true });
    expect(three.envLines).toContain('REMOTION_LAMBDA_TIMEOUT_SECONDS=300');
  });

  it('refuses a bundle without our fonts (Chinese text would not draw the same on Lambda)', async () => {
    const fake = createFakeLambdaClient();
    const bad = fakeBundle(path.join(tmp.dir, 'no-fonts'), false);
    await expect(deployLambda(fake, options({ bundle: async () => bad }, []))).rejects.toThrow(/lacks fonts \(0123456789abcde0\.woff2/);
    expect(fake.callsOf('deploySite')).toEqual([]);
  });

  it('the command reads flags and the server\'s settings; the site is named after the composition sources', async () => {
    const fake = createFakeLambdaClient();
    const lines: string[] = [];
    const out = await runDeploy(['--dry-run', '--memory', '3008'], { REMOTION_AWS_REGION: 'ap-northeast-1', REMOTION_LAMBDA_TIMEOUT_SECONDS: '240' }, fake, (l) => lines.push(l));
    expect(out.functionName).toBe(lambdaFunctionName({ memoryMb: 3008, diskMb: 2048, timeoutSec: 240 }));
    expect(out.siteName).toBe(siteNameFor(inputsHash()));
    expect(out.region).toBe('ap-northeast-1');
    for (const method of MUTATING) expect(fake.callsOf(method)).toEqual([]);
    await expect(runDeploy(['--timeout', '901'], {}, fake, () => undefined)).rejects.toThrow(/timeout=901: expected a whole number from 15 to 900/);
  });

  it('our real bundle carries every font of src/composition/fonts.ts (when this machine has built it)', () => {
    const dir = path.join(ROOT, 'node_modules/.cache/gen-video', `bundle-${inputsHash()}`);
    if (!existsSync(path.join(dir, 'index.html'))) {
      console.log(`no bundle at ${dir} yet (render tests build it): skipped`);
      return;
    }
    const fonts = bundleFonts(dir);
    expect(fonts.families).toEqual(['Noto Sans SC', 'Noto Serif SC', 'LXGW WenKai', 'ZCOOL KuaiLe', 'ZCOOL QingKe HuangYou', 'ZCOOL XiaoWei', 'Ma Shan Zheng', 'Twemoji']);
    expect(fonts.missing).toEqual([]);
    expect(fonts.fontFiles).toBeGreaterThan(500);
  });
});
