import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

const DAY_MS = 86_400_000;

export type PreparedPartitioning = { status: 'already_partitioned' } | { status: 'prepared'; bound: Date };

/**
 * Before upgrading a large install to migration 0032 (decision 032): builds what the migration
 * would otherwise build while holding writes to `clicks`, without blocking anyone. The unique
 * (id, occurred_at) and BRIN indexes are built CONCURRENTLY (an invalid one left by an interrupted
 * build is rebuilt), and the bound the table will keep as its partition is added NOT VALID, then
 * validated under a lock that lets reads and writes go on. Clicks after the bound would be refused
 * (and quarantined), so it is `boundDays` (14) after today: the upgrade must come before then.
 * Safe to run again; each statement is its own transaction, as CONCURRENTLY requires.
 */
export async function prepareClickPartitioning(
  db: Database,
  options: { now: Date; boundDays?: number },
): Promise<PreparedPartitioning> {
  const [table] = await queryRows<{ kind: string }>(
    db,
    sql`SELECT relkind AS kind FROM pg_class WHERE oid = 'clicks'::regclass`,
  );
  if (table?.kind === 'p') return { status: 'already_partitioned' };
  await buildIndex(
    db,
    'clicks_legacy_id_occurred_at',
    sql`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS clicks_legacy_id_occurred_at ON clicks USING btree (id, occurred_at)`,
  );
  await buildIndex(
    db,
    'clicks_legacy_occurred_at_brin',
    sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS clicks_legacy_occurred_at_brin ON clicks USING brin (occurred_at)`,
  );
  const existing = await queryRows<{ def: string }>(
    db,
    sql`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'clicks'::regclass AND conname = 'clicks_legacy_bound'`,
  );
  let bound: Date;
  const found = existing[0] && /'([^']+)'/.exec(existing[0].def)?.[1];
  if (found) {
    bound = new Date(found);
  } else {
    const today = Math.floor(options.now.getTime() / DAY_MS) * DAY_MS;
    bound = new Date(today + (options.boundDays ?? 14) * DAY_MS);
    // DDL takes no parameters; the literal is made from a Date.
    await db.execute(
      sql.raw(
        `ALTER TABLE clicks ADD CONSTRAINT clicks_legacy_bound CHECK (occurred_at < '${bound.toISOString()}'::timestamptz) NOT VALID`,
      ),
    );
  }
  await db.execute(sql`ALTER TABLE clicks VALIDATE CONSTRAINT clicks_legacy_bound`);
  return { status: 'prepared', bound };
}

async function buildIndex(db: Database, name: string, create: Parameters<Database['execute']>[0]) {
  const [index] = await queryRows<{ valid: boolean }>(
    db,
    sql`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = ${name}`,
  );
  if (index && !index.valid) await db.execute(sql`DROP INDEX CONCURRENTLY ${sql.identifier(name)}`);
  await db.execute(create);
}
