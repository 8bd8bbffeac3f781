import { dirname, join } from 'node:path';
import type { Settings } from '../../settings.ts';
import type { AssetStorage } from './asset-storage.ts';
import { localAssetStorage } from './local-storage.ts';
import { s3AssetStorage } from './s3-storage.ts';

type StorageSettings = Pick<
  Settings,
  | 'CREATIVE_STORAGE'
  | 'CREATIVE_STORAGE_DIR'
  | 'PGLITE_DIR'
  | 'S3_ENDPOINT'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
>;

/** The asset library's folder: CREATIVE_STORAGE_DIR, else creatives/ beside the embedded database. */
export function creativeStorageDirFor(
  settings: Pick<Settings, 'CREATIVE_STORAGE_DIR' | 'PGLITE_DIR'>,
): string {
  if (settings.CREATIVE_STORAGE_DIR) return settings.CREATIVE_STORAGE_DIR;
  const pglite = settings.PGLITE_DIR.startsWith('memory://') ? '.tas/pglite' : settings.PGLITE_DIR;
  return join(dirname(pglite), 'creatives');
}

/** The configured storage: the local folder, or an S3-compatible bucket (settings checked its keys). */
export function assetStorageOf(settings: StorageSettings): AssetStorage {
  if (settings.CREATIVE_STORAGE === 's3') {
    const { S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } = settings;
    if (!S3_ENDPOINT || !S3_BUCKET || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY)
      throw new Error(
        'CREATIVE_STORAGE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY',
      );
    return s3AssetStorage({
      endpoint: S3_ENDPOINT,
      bucket: S3_BUCKET,
      region: settings.S3_REGION,
      accessKeyId: S3_ACCESS_KEY_ID,
      secretAccessKey: S3_SECRET_ACCESS_KEY,
    });
  }
  return localAssetStorage(creativeStorageDirFor(settings));
}
