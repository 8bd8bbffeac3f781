import { type AssetStorage, type StoredObject, strongEtag } from './asset-storage.ts';
import { type S3Credentials, sha256Hex, signS3Request } from './sigv4.ts';

export type S3StorageOptions = S3Credentials & {
  /** The service's base URL: https://<account>.r2.cloudflarestorage.com, https://s3.<region>.amazonaws.com, MinIO's. */
  endpoint: string;
  bucket: string;
  fetch?: typeof fetch;
  now?: () => Date;
};

/**
 * Assets in an S3-compatible bucket (S3, R2, MinIO), path-style (`endpoint/bucket/key`, which all
 * three take), signed with SigV4. The SHA-256 travels as object metadata, so `head` answers the
 * ETag without reading the object; S3's own ETag (an MD5, or not even that for multipart) is not used.
 */
export function s3AssetStorage(options: S3StorageOptions): AssetStorage {
  const send = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const base = `${options.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(options.bucket)}`;
  const request = async (
    method: string,
    key: string,
    body?: { bytes: Uint8Array; headers: Record<string, string> },
  ) => {
    const url = `${base}/${key}`;
    const payloadSha256 = sha256Hex(body?.bytes ?? new Uint8Array());
    const headers = signS3Request(
      { method, url, headers: body?.headers ?? {}, payloadSha256 },
      options,
      now(),
    );
    const response = await send(url, {
      method,
      headers,
      ...(body ? { body: body.bytes as BodyInit } : {}),
    });
    if (!response.ok && response.status !== 404)
      throw new Error(
        `storage ${method} ${key}: ${response.status} ${(await response.text()).slice(0, 300)}`,
      );
    return response;
  };
  const objectOf = (key: string, response: Response): StoredObject | null => {
    const sha256 = response.headers.get('x-amz-meta-sha256');
    if (response.status === 404 || !sha256) return null;
    return {
      key,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      size: Number(response.headers.get('content-length') ?? 0),
      sha256,
      etag: strongEtag(sha256),
    };
  };
  const head = async (key: string) => objectOf(key, await request('HEAD', key));
  return {
    head,
    async put(key, bytes, contentType) {
      const existing = await head(key);
      if (existing) return existing;
      const sha256 = sha256Hex(bytes);
      await request('PUT', key, {
        bytes,
        headers: { 'content-type': contentType, 'x-amz-meta-sha256': sha256 },
      });
      return { key, contentType, size: bytes.byteLength, sha256, etag: strongEtag(sha256) };
    },
    async get(key) {
      const response = await request('GET', key);
      const object = objectOf(key, response);
      if (!object) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { object: { ...object, size: bytes.byteLength }, bytes };
    },
    async delete(key) {
      await request('DELETE', key);
    },
  };
}
