import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectPostgres, type DatabaseHandle, queryRows } from '../db/database.ts';
import { listClickPartitions } from './click-partitions.ts';
import { prepareClickPartitioning } from './prepare-click-partitioning.ts';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const DAY = 86_400_000;
let folder: string;
let counter = 0;

/** The migrations as they were before clicks were partitioned (up to 0031). */
function migrationsBeforePartitioning(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tas-migrations-'));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  for (const entry of journal.entries.filter((e) => e.idx >= 32)) rmSync(join(dir, `${entry.tag}.sql`));
  journal.entries = journal.entries.filter((e) => e.idx < 32);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/** A new, empty database migrated as an install before 0032 was, with `n` clicks over 60 days. */
async function installBeforePartitioning(n: number): Promise<DatabaseHandle> {
  const serverUrl = inject('postgresUrl');
  const name = `m_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = serverUrl.replace(/\/postgres$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url });
  await migrate(drizzle({ client: pool }), { migrationsFolder: folder });
  await pool.end();
  const handle = connectPostgres(url, { driver: 'pg' });
  await handle.db.execute(sql`
    INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, outcome, sub1)
    SELECT 'click-' || i, now() - (i % 60) * interval '1 day' - (i % 1000) * interval '1 second', 1 + i % 5, 1 + i % 7,
           'redirect', 's' || (i % 3)
    FROM generate_series(1, ${n}) AS i`);
  return handle;
}

async function shapeOf(handle: DatabaseHandle) {
  const [table] = await queryRows<{ kind: string; n: number; subs: number }>(
    handle.db,
    sql`SELECT (SELECT relkind FROM pg_class WHERE oid = 'clicks'::regclass)::text AS kind,
               count(*)::int AS n, count(DISTINCT sub1)::int AS subs FROM clicks`,
  );
  return table;
}

describe('migrating an install with clicks to partitions (0032)', () => {
  beforeAll(() => {
    folder = migrationsBeforePartitioning();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps every click in place, with the bound a prepared install was given and its key intact', async () => {
    const handle = await installBeforePartitioning(3_000);
    try {
      expect(await shapeOf(handle)).toEqual({ kind: 'r', n: 3_000, subs: 3 });
      const now = new Date();
      const prepared = await prepareClickPartitioning(handle.db, { now });
      const bound = new Date(Math.floor(now.getTime() / DAY) * DAY + 14 * DAY);
      expect(prepared).toEqual({ status: 'prepared', bound });
      // Prepared twice (an operator running it again): the same bound, nothing rebuilt.
      expect(await prepareClickPartitioning(handle.db, { now: new Date(now.getTime() + DAY) })).toEqual(
        prepared,
      );
      // Clicks keep arriving between preparing and upgrading.
      await handle.db.execute(
        sql`INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, outcome) VALUES ('late', now(), 1, 1, 'redirect')`,
      );

      await handle.migrate();
      expect(await shapeOf(handle)).toEqual({ kind: 'p', n: 3_001, subs: 3 });
      const [legacy] = await listClickPartitions(handle.db);
      expect(legacy).toMatchObject({ name: 'clicks_legacy', from: null, to: bound });
      expect(await prepareClickPartitioning(handle.db, { now })).toEqual({ status: 'already_partitioned' });
      // The key still refuses a second copy of a stored click.
      await expect(
        handle.db.execute(
          sql`INSERT INTO clicks (id, occurred_at, offer_id, affiliate_id, outcome)
              SELECT id, occurred_at, offer_id, affiliate_id, outcome FROM clicks WHERE id = 'click-7'`,
        ),
      ).rejects.toMatchObject({ cause: { code: '23505' } });
    } finally {
      await handle.close();
    }
  });

  it('builds what was not prepared itself, ending the old table at tomorrow', async () => {
    const handle = await installBeforePartitioning(2_000);
    try {
      await handle.migrate();
      expect(await shapeOf(handle)).toEqual({ kind: 'p', n: 2_000, subs: 3 });
      const [legacy] = await listClickPartitions(handle.db);
      expect(legacy?.to).toEqual(new Date(Math.floor(Date.now() / DAY) * DAY + DAY));
      const indexes = await queryRows<{ name: string }>(
        handle.db,
        sql`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'clicks_legacy'::regclass ORDER BY 1`,
      );
      expect(indexes.map((r) => r.name)).toEqual([
        'clicks_legacy_affiliate_id_occurred_at_index',
        'clicks_legacy_occurred_at_brin',
        'clicks_legacy_offer_id_occurred_at_index',
        'clicks_legacy_pk',
        'clicks_legacy_received_at_index',
      ]);
    } finally {
      await handle.close();
    }
  });
});
