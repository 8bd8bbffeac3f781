import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { type AssetStorage, type StoredObject, sha256Hex, strongEtag } from './asset-storage.ts';

type Sidecar = { contentType: string; sha256: string };

/**
 * Assets as files under `root`, each with a small JSON sidecar for its content type. Writes go to
 * a temporary name then rename, so a reader never sees half a file and a crash leaves no torn one.
 */
export function localAssetStorage(root: string): AssetStorage {
  const base = resolve(root);
  // Keys come from contentKey, but a key is still checked to stay inside the folder.
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error(`storage key outside the folder: ${key}`);
    return path;
  };
  const head = async (key: string): Promise<StoredObject | null> => {
    const path = pathOf(key);
    try {
      const [info, sidecar] = await Promise.all([stat(path), readFile(`${path}.json`, 'utf8')]);
      const meta = JSON.parse(sidecar) as Sidecar;
      return {
        key,
        contentType: meta.contentType,
        size: info.size,
        sha256: meta.sha256,
        etag: strongEtag(meta.sha256),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  return {
    head,
    async put(key, bytes, contentType) {
      const existing = await head(key);
      if (existing) return existing;
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const sha256 = sha256Hex(bytes);
      const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temp, bytes);
      // The sidecar first: a file without one is treated as missing, never served untyped.
      await writeFile(`${path}.json`, JSON.stringify({ contentType, sha256 } satisfies Sidecar));
      await rename(temp, path);
      return { key, contentType, size: bytes.byteLength, sha256, etag: strongEtag(sha256) };
    },
    async get(key) {
      const object = await head(key);
      if (!object) return null;
      return { object, bytes: new Uint8Array(await readFile(pathOf(key))) };
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.json`, { force: true });
    },
  };
}
