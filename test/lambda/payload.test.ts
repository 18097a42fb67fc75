// Remotion Lambda's input-props payload: every public fixture's props stay inside the invocation;
// props over the limit are handed to renderMediaOnLambda, which stores them in the bucket itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDraft } from '../../src/draft/schema';
import { GenVideoError } from '../../src/errors';
import { baseName } from '../../src/materials/fetch-materials';
import { createLambdaBackend } from '../../src/render/lambda/backend';
import { createFakeLambdaClient } from '../helpers/fake-lambda';
import { LAMBDA_INLINE_PROPS_LIMIT, lambdaTimeline, propsTransport } from '../../src/render/lambda/props';
import { DEFAULT_ENCODE } from '../../src/render/settings';
import { compileTimeline } from '../../src/timeline/compile';
import type { Timeline } from '../../src/timeline/types';
import { makeColorClip, tempDir } from '../helpers/media';
import { FIXTURES_DIR } from '../timeline/draft-builder';

const files = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json'));
const load = (name: string) => JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8'));

/**
 * The timeline as the runner hands it over: every medium downloaded (a cache path) from a public URL,
 * its http(s) candidate, or (fixtures whose files lived on their authors' disks) a URL of the shape
 * a Coze workflow's material host gives.
 */
const asDownloaded = (timeline: Timeline): Timeline => ({
  ...timeline,
  media: Object.fromEntries(
    Object.entries(timeline.media).map(([id, ref], i) => {
      const http = ref.candidates.find((c) => /^https?:\/\//.test(c));
      const name = baseName(ref.candidates[0] ?? `${id}.mp4`) || `${id}.bin`;
      const sourceUrl = http ?? `https://lf3-bot-platform-tos.example.com/obj/material/${String(i).padStart(4, '0')}${'0'.repeat(28)}/${encodeURIComponent(name)}`;
      return [id, { ...ref, src: `/srv/gen-video/data/cache/materials/${'f'.repeat(64)}.bin`, sourceUrl }];
    }),
  ),
});

const tmp = tempDir('gen-video-lambda-payload-');
afterAll(() => tmp.cleanup());

describe('input props of the public fixtures', () => {
  it(`stay under Remotion Lambda's inline limit (${LAMBDA_INLINE_PROPS_LIMIT} characters)`, async () => {
    const sizes: Record<string, { characters: number; bytes: number; via: string }> = {};
    for (const name of files) {
      let timeline: Timeline;
      try {
        timeline = compileTimeline(parseDraft(load(name)), { localDir: '/drafts/x' });
      } catch (e) {
        // Not renderable at all (the empty capcut-mate template, Coze2JianYing's own format).
        expect(e).toBeInstanceOf(GenVideoError);
        expect(['DRAFT_EMPTY', 'DRAFT_INVALID']).toContain((e as GenVideoError).code);
        continue;
      }
      const props = { timeline: await lambdaTimeline(asDownloaded(timeline)) };
      const { size, via } = propsTransport(props);
      sizes[name] = { characters: size, bytes: Buffer.byteLength(JSON.stringify(props)), via };
      expect(via, name).toBe('payload');
      expect(size, name).toBeLessThan(LAMBDA_INLINE_PROPS_LIMIT);
    }
    console.log('Lambda input props per fixture', sizes);
    expect(Object.keys(sizes).length).toBe(4);
  });

  it('props over the limit are handed over whole: renderMediaOnLambda stores them in our bucket', async () => {
    // The largest fixture (212 photo layers with key frames, 156 K), its layers twice: a longer slideshow.
    const base = compileTimeline(parseDraft(load('Lassell__RST__jianying-420-photo-keyframes-legacy-text.json')), { localDir: '/drafts/x' });
    const timeline = asDownloaded({ ...base, layers: [...base.layers, ...base.layers] });
    const props = { timeline: await lambdaTimeline(timeline) };
    expect(propsTransport(props).via).toBe('bucket');

    const fake = createFakeLambdaClient();
    fake.script({ videoFile: makeColorClip(path.join(tmp.dir, 'out.mp4'), { color: 'black', width: 32, height: 18, durationSec: 1 }) });
    const logs: string[] = [];
    const backend = createLambdaBackend(
      {
        region: 'us-east-1',
        functionName: 'remotion-render-4-0-527-mem2048mb-disk2048mb-120sec',
        serveUrl: 'https://remotionlambda-useast1-mine.s3.us-east-1.amazonaws.com/sites/s/index.html',
        bucket: 'remotionlambda-useast1-mine',
        privacy: 'private',
        functionTimeoutSec: 120,
        memoryMb: 2048,
        diskMb: 2048,
        stallTimeoutMs: 5000,
        pollIntervalMs: 1,
        licenseKey: null,
        encode: DEFAULT_ENCODE,
      },
      fake,
    );
    const result = await backend.render({
      jobId: 'big',
      timeline,
      outPath: path.join(tmp.dir, 'big.mp4'),
      signal: new AbortController().signal,
      onProgress: () => undefined,
      log: (l) => logs.push(l),
    });
    expect(result.engine).toBe('lambda');
    const start = fake.callsOf('renderMedia')[0].input;
    expect(start.forceBucketName).toBe('remotionlambda-useast1-mine');
    expect(propsTransport(start.inputProps as Record<string, unknown>)).toEqual(propsTransport(props));
    expect([...fake.renders.values()][0].propsVia).toBe('bucket');
    expect(logs.join('\n')).toMatch(/over Remotion's inline limit: renderMediaOnLambda stores them in remotionlambda-useast1-mine first/);
  });
});
