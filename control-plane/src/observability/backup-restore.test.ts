import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import { connectPostgres, type DatabaseHandle, queryRows } from '../db/database.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';

/** pg_dump and pg_restore of the installed PostgreSQL (the test server's version). */
function clientBin(name: 'pg_dump' | 'pg_restore'): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = join(root, version, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  if (onPath) return onPath;
  throw new Error(`${name} not found: install the postgresql-client package`);
}

type Figures = {
  clicks: string[];
  conversions: { id: string; status: string; payout: number; revenue: number }[];
  entries: number;
  balances: { currency: string; sum: number }[];
};

async function figuresOf(handle: DatabaseHandle): Promise<Figures> {
  const clicks = await queryRows<{ id: string }>(
    handle.db,
    sql`SELECT id::text AS id FROM clicks ORDER BY id`,
  );
  const conversions = await queryRows<{ id: string; status: string; payout: number; revenue: number }>(
    handle.db,
    sql`SELECT id::text AS id, status::text AS status, payout_minor::float8 AS payout,
               revenue_minor::float8 AS revenue
          FROM conversions ORDER BY id`,
  );
  const [entries] = await queryRows<{ n: number }>(
    handle.db,
    sql`SELECT count(*)::int AS n FROM ledger_entries`,
  );
  const balances = await queryRows<{ currency: string; sum: number }>(
    handle.db,
    sql`SELECT currency, sum(amount_minor)::float8 AS sum FROM ledger_entries GROUP BY currency ORDER BY currency`,
  );
  return {
    clicks: clicks.map((r) => r.id),
    conversions: conversions.map((r) => ({ ...r, payout: Number(r.payout), revenue: Number(r.revenue) })),
    entries: Number(entries?.n ?? 0),
    balances: balances.map((r) => ({ currency: r.currency, sum: Number(r.sum) })),
  };
}

/**
 * The backup of docs/operations.md, done: a custom-format pg_dump of a database that took clicks
 * and conversions through the ingest, restored with pg_restore into a new, empty database, holds
 * every click and conversion, and its ledger balances and reconciles.
 */
describe('pg_dump and pg_restore', () => {
  let source: DatabaseHandle;
  let restored: DatabaseHandle | undefined;
  let restoredName: string;
  const dir = mkdtempSync(join(tmpdir(), 'tas-backup-'));
  const admin = () => new pg.Client({ connectionString: inject('postgresUrl') });

  beforeAll(async () => {
    source = connectPostgres(await createTestPostgresDatabase(), { driver: 'pg' });
  });
  afterAll(async () => {
    await source.close();
    await restored?.close();
    if (restoredName) {
      const client = admin();
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${restoredName}`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores every click and conversion, with a balanced ledger, into a fresh database', async () => {
    const app = testApp(source.db);
    const offer = await createTestOffer(source.db, { payoutMinor: 700, revenueMinor: 1100 });
    const clicks = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        clickEvent({
          offerId: offer.id,
          affiliateId: 1 + (i % 4),
          occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
        }),
      ),
    );
    const conversions = clicks.slice(0, 15).map((click, i) =>
      conversionEvent(click, {
        advertiserStatus: i % 3 === 0 ? 'pending' : i % 3 === 1 ? 'approved' : 'rejected',
      }),
    );
    const ingested = await app.request(
      '/internal/ingest',
      await signedIngest({ events: [...clicks, ...conversions] }),
    );
    expect(await ingested.json()).toMatchObject({
      clicksInserted: 40,
      conversionsInserted: 15,
      quarantined: 0,
    });
    const before = await figuresOf(source);
    expect(before.clicks).toHaveLength(40);
    expect(before.conversions).toHaveLength(15);
    expect(before.entries).toBeGreaterThan(0);

    // The backup: custom format (compressed, restorable table by table, in parallel with -j).
    const sourceUrl = new URL(inject('postgresUrl'));
    const sourceName = (await queryRows<{ db: string }>(source.db, sql`SELECT current_database() AS db`))[0]!
      .db;
    const file = join(dir, 'tas.dump');
    const connection = [
      '-h',
      sourceUrl.hostname,
      '-p',
      sourceUrl.port,
      '-U',
      sourceUrl.username || 'postgres',
    ];
    execFileSync(clientBin('pg_dump'), [...connection, '-d', sourceName, '-Fc', '--no-owner', '-f', file]);

    // The restore: a new, empty database (from template0, as on a new server), then pg_restore.
    restoredName = `${sourceName}_restored`;
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${restoredName} TEMPLATE template0`);
    await client.end();
    execFileSync(clientBin('pg_restore'), [
      ...connection,
      '-d',
      restoredName,
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      file,
    ]);

    const restoredUrl = inject('postgresUrl').replace(/\/postgres$/, `/${restoredName}`);
    restored = connectPostgres(restoredUrl, { driver: 'pg' });
    expect(await figuresOf(restored)).toEqual(before);
    for (const { sum } of before.balances) expect(sum).toBe(0);
    // The migrations' own table came along: the control plane starts on it without migrating again.
    await restored.migrate();
    const reconciled = await reconcileLedger(restored.db);
    expect(reconciled.differences).toEqual([]);
    expect(reconciled.checks.filter((c) => c.name === 'transfers' || c.name === 'conversions')).toEqual([
      { name: 'transfers', status: 'clean', differences: 0 },
      { name: 'conversions', status: 'clean', differences: 0 },
    ]);
    // And the restored database takes new events like the old one.
    const after = testApp(restored.db);
    const late = await clickEvent({
      offerId: offer.id,
      affiliateId: 2,
      occurredAt: '2026-11-21T09:00:00.000Z',
    });
    const more = await after.request('/internal/ingest', await signedIngest({ events: [late] }));
    expect(await more.json()).toMatchObject({ clicksInserted: 1 });
  });
});
