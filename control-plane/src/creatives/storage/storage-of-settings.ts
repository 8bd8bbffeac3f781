import { dirname, join } from 'node:path';
import type { Settings } from '../../settings.ts';
import type { AssetStorage } from './asset-storage.ts';
import { localAssetStorage } from './local-storage.ts';

/** The asset library's folder: CREATIVE_STORAGE_DIR, else creatives/ beside the embedded database. */
export function creativeStorageDirFor(
  settings: Pick<Settings, 'CREATIVE_STORAGE_DIR' | 'PGLITE_DIR'>,
): string {
  if (settings.CREATIVE_STORAGE_DIR) return settings.CREATIVE_STORAGE_DIR;
  const pglite = settings.PGLITE_DIR.startsWith('memory://') ? '.tas/pglite' : settings.PGLITE_DIR;
  return join(dirname(pglite), 'creatives');
}

/**
 * The configured storage. Only the local folder exists today; S3-compatible storage (R2, S3,
 * MinIO) is the next implementation of AssetStorage (decision 029).
 */
export function assetStorageOf(
  settings: Pick<Settings, 'CREATIVE_STORAGE_DIR' | 'PGLITE_DIR'>,
): AssetStorage {
  return localAssetStorage(creativeStorageDirFor(settings));
}
