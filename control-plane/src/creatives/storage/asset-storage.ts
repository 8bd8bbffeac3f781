import { createHash } from 'node:crypto';

/** What storage knows of an object: enough to serve it without reading it. */
export type StoredObject = {
  key: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** Strong ETag, quoted: the SHA-256, since the bytes under a key never change. */
  etag: string;
};

/**
 * Where the asset library keeps its files: a local folder by default (local-storage.ts), an
 * S3-compatible bucket (R2, S3, MinIO) later behind this same interface (decision 029). Keys are
 * content addresses (`contentKey`), so storing the same bytes twice stores them once.
 */
export interface AssetStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredObject>;
  get(key: string): Promise<{ object: StoredObject; bytes: Uint8Array } | null>;
  head(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The key of some bytes: their SHA-256, fanned out so no folder holds millions of files. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('contentKey: not a hex SHA-256');
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function strongEtag(sha256: string): string {
  return `"${sha256}"`;
}
