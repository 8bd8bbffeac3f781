import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey, sha256Hex } from './asset-storage.ts';
import { s3AssetStorage } from './s3-storage.ts';
import { signS3Request } from './sigv4.ts';

const credentials = { accessKeyId: 'tas-test', secretAccessKey: 'tas-test-secret', region: 'auto' };

const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('s3AssetStorage against a local S3-compatible fake', () => {
  const objects = new Map<string, { bytes: Buffer; headers: Record<string, string> }>();
  const requests: string[] = [];
  let endpoint: string;
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const url = `${endpoint}${req.url}`;
    // The fake checks the signature as S3 would: recomputed from what arrived.
    const signedNames = /SignedHeaders=([^,]+)/.exec(req.headers.authorization ?? '')?.[1]?.split(';') ?? [];
    const sent = Object.fromEntries(
      signedNames
        .filter((n) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(n))
        .map((n) => [n, String(req.headers[n])]),
    );
    const amzDate = String(req.headers['x-amz-date']);
    const when = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const expected = signS3Request(
      { method: req.method ?? 'GET', url, headers: sent, payloadSha256: sha256Hex(body) },
      credentials,
      when,
    );
    requests.push(`${req.method} ${req.url}`);
    if (expected.authorization !== req.headers.authorization)
      return res.writeHead(403).end('SignatureDoesNotMatch');
    const key = req.url ?? '';
    const object = objects.get(key);
    if (req.method === 'PUT') {
      objects.set(key, {
        bytes: body,
        headers: {
          'content-type': String(req.headers['content-type']),
          'x-amz-meta-sha256': String(req.headers['x-amz-meta-sha256']),
        },
      });
      return res.writeHead(200).end();
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      return res.writeHead(204).end();
    }
    if (!object) return res.writeHead(404).end();
    res.writeHead(200, { ...object.headers, 'content-length': object.bytes.byteLength });
    return res.end(req.method === 'HEAD' ? undefined : object.bytes);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('puts once per content, reads back type, size and ETag, and deletes', async () => {
    const storage = s3AssetStorage({ ...credentials, endpoint, bucket: 'assets' });
    const bytes = new TextEncoder().encode('not really a png, the storage does not care');
    const sha256 = sha256Hex(bytes);
    const key = contentKey(sha256);
    const stored = await storage.put(key, bytes, 'image/png');
    expect(stored).toEqual({
      key,
      contentType: 'image/png',
      size: bytes.byteLength,
      sha256,
      etag: `"${sha256}"`,
    });
    await storage.put(key, bytes, 'image/png');
    expect(requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    expect(requests[0]).toBe(`HEAD /assets/${key}`);

    expect(await storage.head(key)).toEqual(stored);
    const got = await storage.get(key);
    expect(got?.object).toEqual(stored);
    expect(got?.bytes).toEqual(bytes);

    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    expect(await storage.get(key)).toBeNull();
  });

  it('fails loudly on a refused signature rather than treating it as missing', async () => {
    const storage = s3AssetStorage({ ...credentials, secretAccessKey: 'wrong', endpoint, bucket: 'assets' });
    await expect(storage.head(contentKey(sha256Hex(new TextEncoder().encode('x'))))).rejects.toThrow(/403/);
  });
});
