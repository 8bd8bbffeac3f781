import { mkdirSync } from 'node:fs';
import { ensureClickPartitions } from '../partitions/click-partitions.ts';
import type { Settings } from '../settings.ts';
import { connectPglite, connectPostgres, type DatabaseHandle } from './database.ts';

/**
 * The database the settings ask for: DATABASE_URL when set, else embedded PGlite. Migrated, with
 * the click partitions of the days ahead made before anything is stored.
 */
export async function openDatabase(
  settings: Pick<
    Settings,
    'DATABASE_URL' | 'DATABASE_DRIVER' | 'NEON_WS_PROXY' | 'PGLITE_DIR' | 'CLICK_PARTITIONS_AHEAD_DAYS'
  >,
) {
  let handle: DatabaseHandle;
  if (settings.DATABASE_URL) {
    handle = connectPostgres(settings.DATABASE_URL, {
      ...(settings.DATABASE_DRIVER ? { driver: settings.DATABASE_DRIVER } : {}),
      ...(settings.NEON_WS_PROXY ? { neonWsProxy: settings.NEON_WS_PROXY } : {}),
    });
  } else {
    if (!settings.PGLITE_DIR.startsWith('memory://')) mkdirSync(settings.PGLITE_DIR, { recursive: true });
    handle = await connectPglite(settings.PGLITE_DIR);
  }
  await handle.migrate();
  await ensureClickPartitions(handle.db, {
    now: new Date(),
    aheadDays: settings.CLICK_PARTITIONS_AHEAD_DAYS,
  });
  return handle;
}
