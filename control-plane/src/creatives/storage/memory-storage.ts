import { type AssetStorage, type StoredObject, sha256Hex, strongEtag } from './asset-storage.ts';

/** Assets in this process's memory: for tests and one-off tools, never a server's library. */
export function memoryAssetStorage(): AssetStorage {
  const objects = new Map<string, { object: StoredObject; bytes: Uint8Array }>();
  return {
    async put(key, bytes, contentType) {
      const existing = objects.get(key);
      if (existing) return existing.object;
      const sha256 = sha256Hex(bytes);
      const object = { key, contentType, size: bytes.byteLength, sha256, etag: strongEtag(sha256) };
      objects.set(key, { object, bytes: new Uint8Array(bytes) });
      return object;
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
    async head(key) {
      return objects.get(key)?.object ?? null;
    },
    async delete(key) {
      objects.delete(key);
    },
  };
}
