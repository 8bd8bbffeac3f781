import { mkdirSync } from 'node:fs';
import type { Settings } from '../settings.ts';
import { connectPglite, connectPostgres, type DatabaseHandle } from './database.ts';

/** The database the settings ask for: DATABASE_URL when set, else embedded PGlite. Migrated. */
export async function openDatabase(
  settings: Pick<Settings, 'DATABASE_URL' | 'DATABASE_DRIVER' | 'PGLITE_DIR'>,
) {
  let handle: DatabaseHandle;
  if (settings.DATABASE_URL) {
    handle = connectPostgres(settings.DATABASE_URL, settings.DATABASE_DRIVER);
  } else {
    if (!settings.PGLITE_DIR.startsWith('memory://')) mkdirSync(settings.PGLITE_DIR, { recursive: true });
    handle = await connectPglite(settings.PGLITE_DIR);
  }
  await handle.migrate();
  return handle;
}
