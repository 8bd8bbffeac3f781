import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../settings.ts';
import { creativeStorageDirFor } from './storage-of-settings.ts';

const base = { INGEST_SIGNING_SECRET: 'i'.repeat(40), CONFIG_SIGNING_SECRET: 'c'.repeat(40) };

describe('creative storage settings', () => {
  it('keeps files beside the embedded database unless told otherwise', () => {
    expect(creativeStorageDirFor(loadSettings(base))).toBe('.tas/creatives');
    expect(creativeStorageDirFor(loadSettings({ ...base, PGLITE_DIR: '/var/tas/pglite' }))).toBe(
      '/var/tas/creatives',
    );
    expect(creativeStorageDirFor(loadSettings({ ...base, CREATIVE_STORAGE_DIR: '/srv/assets' }))).toBe(
      '/srv/assets',
    );
  });

  it('refuses S3 storage without its endpoint, bucket and keys', () => {
    expect(() => loadSettings({ ...base, CREATIVE_STORAGE: 's3' })).toThrow(
      /S3_ENDPOINT[\s\S]*S3_BUCKET[\s\S]*S3_ACCESS_KEY_ID[\s\S]*S3_SECRET_ACCESS_KEY/,
    );
    const s3 = loadSettings({
      ...base,
      CREATIVE_STORAGE: 's3',
      S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      S3_BUCKET: 'tas-assets',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
    });
    expect(s3.S3_REGION).toBe('auto');
  });
});
