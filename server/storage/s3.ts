/** Videos in any S3-compatible store; clients get presigned GET URLs. */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rename, rm, stat } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config';
import { assertSafeKey, type VideoStorage } from './types';

export function createS3Storage(cfg: S3Config): VideoStorage & { client: S3Client } {
  const client = new S3Client({
    region: cfg.region,
    endpoint: cfg.endpoint,
    forcePathStyle: cfg.forcePathStyle,
    // Plain uploads: many S3-compatible stores do not understand the SDK's default
    // aws-chunked uploads with trailing checksums (and would store the chunk framing).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials:
      cfg.accessKeyId && cfg.secretAccessKey ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } : undefined,
  });
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return `${cfg.keyPrefix}${key}`;
  };
  return {
    kind: 's3',
    client,
    async put(localFile, key) {
      const { size } = await stat(localFile);
      await client.send(
        new PutObjectCommand({
          Bucket: cfg.bucket,
          Key: objectKey(key),
          Body: createReadStream(localFile),
          ContentLength: size,
          ContentType: 'video/mp4',
        }),
      );
      await rm(localFile, { force: true });
    },
    async get(key, localFile) {
      const res = await client.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: objectKey(key) }));
      const part = `${localFile}.part`;
      try {
        await pipeline(res.Body as Readable, createWriteStream(part));
        await rename(part, localFile);
      } finally {
        await rm(part, { force: true });
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: cfg.bucket, Key: objectKey(key) }));
    },
    url: (key, ttlSec) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: cfg.bucket, Key: objectKey(key) }), { expiresIn: ttlSec }),
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: cfg.bucket, Key: objectKey(key) }));
        return true;
      } catch (e) {
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchKey') return false;
        throw e;
      }
    },
  };
}
