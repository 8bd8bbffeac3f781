import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const MEASURES = `clicks, unique_clicks, invalid_clicks, bot_clicks, blocked_clicks, velocity_clicks, conversions,
  approved_conversions, pending_conversions, rejected_conversions, payout_minor, revenue_minor`;

/** The migrations up to `last` (its index in the journal), in a folder of their own. */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tas-migrations-'));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  for (const entry of journal.entries.filter((e) => e.idx > last)) rmSync(join(dir, `${entry.tag}.sql`));
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('migration 0037 on an install with traffic', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('backfills daily_offer_stats with the hourly sums, and keeps it from then on', async () => {
    const serverUrl = inject('postgresUrl');
    const name = `d_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: serverUrl.replace(/\/postgres$/, `/${name}`) });
    const db = drizzle({ client: pool });
    try {
      const before = migrationsUpTo(36);
      folders.push(before);
      await migrate(db, { migrationsFolder: before });
      // As the ingest writes it: hours across several UTC days (hourly_offer_stats by 0034's triggers).
      const write = (from: number, to: number) =>
        db.execute(sql`
          INSERT INTO hourly_stats (hour, offer_id, affiliate_id, sub1, country, device, clicks, unique_clicks,
                                    invalid_clicks, conversions, approved_conversions, payout_minor, revenue_minor)
          SELECT timestamptz '2026-11-01 00:00Z' + (i % 100) * interval '1 hour', 1 + i % 3, 1 + i % 4,
                 's' || (i / 100), 'DE', 'mobile', 10 + i % 7, 9, 1 + i % 2, i % 3, i % 2, 1000 * (i % 3), 1500 * (i % 3)
          FROM generate_series(${from}::int, ${to}::int) AS i
          ON CONFLICT (hour, offer_id, affiliate_id, sub1, country, device) DO UPDATE SET clicks = hourly_stats.clicks + 1`);
      await write(1, 3000);
      await migrate(db, { migrationsFolder: MIGRATIONS });
      await write(2000, 5000);
      const sums = MEASURES.split(',')
        .map((m) => `sum(${m.trim()})::bigint`)
        .join(', ');
      const fine = await pool.query<{ r: string }>(
        `SELECT concat_ws(' ', date_trunc('day', hour, 'UTC'), offer_id, affiliate_id, ${sums}) AS r
                 FROM hourly_stats GROUP BY date_trunc('day', hour, 'UTC'), offer_id, affiliate_id ORDER BY 1`,
      );
      const daily = await pool.query<{ r: string }>(
        `SELECT concat_ws(' ', day, offer_id, affiliate_id, ${MEASURES}) AS r FROM daily_offer_stats ORDER BY 1`,
      );
      expect(fine.rows.length).toBeGreaterThan(20);
      expect(daily.rows.map((x) => x.r)).toEqual(fine.rows.map((x) => x.r));
    } finally {
      await pool.end();
    }
  });
});
