/**
 * The real LambdaClient: @remotion/lambda 4.0.527's own functions, loaded on first use so a server
 * rendering locally never loads the AWS SDKs. Credentials: Remotion reads them from the
 * environment itself (REMOTION_AWS_ACCESS_KEY_ID / REMOTION_AWS_SECRET_ACCESS_KEY, or AWS_*, or the
 * SDK's default chain such as an instance role).
 *
 * Not run against AWS by this project's tests (they use fake-client.ts): see the README.
 */
import type { LambdaClient } from './client';

type Deploy = typeof import('@remotion/lambda');
type Client = typeof import('@remotion/lambda/client');

let deployApi: Promise<Deploy> | undefined;
let clientApi: Promise<Client> | undefined;
const deploy = () => (deployApi ??= import('@remotion/lambda'));
const client = () => (clientApi ??= import('@remotion/lambda/client'));

export function createRemotionLambdaClient(): LambdaClient {
  return {
    async getFunctions({ region }) {
      return (await client()).getFunctions({ region, compatibleOnly: true, logLevel: 'error' });
    },
    async deployFunction(input) {
      return (await deploy()).deployFunction({ ...input, createCloudWatchLogGroup: true, logLevel: 'error' });
    },
    async getSites({ region, bucketName }) {
      const { sites, buckets } = await (await client()).getSites({ region, forceBucketName: bucketName ?? null, compatibleOnly: false });
      return {
        sites: sites.map((s) => ({ id: s.id, serveUrl: s.serveUrl, bucketName: s.bucketName, version: s.version })),
        buckets: buckets.map((b) => ({ name: b.name, region: b.region })),
      };
    },
    async getOrCreateBucket({ region }) {
      return (await deploy()).getOrCreateBucket({ region });
    },
    async deploySite({ region, bucketName, bundleDir, siteName }) {
      return (await deploy()).deploySiteFromBundle({ region, bucketName, bundleDir, siteName, privacy: 'public' });
    },
    async renderMedia(input) {
      const { renderId, bucketName } = await (await client()).renderMediaOnLambda(input);
      return { renderId, bucketName };
    },
    async getRenderProgress(input) {
      return (await client()).getRenderProgress({ ...input, logLevel: 'error' });
    },
    async cancelRender(input) {
      await (await client()).cancelRenderOnLambda(input);
    },
    async deleteRender(input) {
      await (await client()).deleteRender(input);
    },
    async downloadMedia({ region, bucketName, renderId, outPath, signal }) {
      const { sizeInBytes } = await (await deploy()).downloadMedia({ region, bucketName, renderId, outPath, signal, logLevel: 'error' });
      return { sizeInBytes };
    },
  };
}
