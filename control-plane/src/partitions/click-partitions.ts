import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * The raw clicks table is partitioned by range of `occurred_at`, a partition a UTC day
 * (`clicks_p20261201`), after the partition the migration made of the table as it was
 * (`clicks_legacy`, everything before its bound). Decision 032.
 */
export type ClickPartition = {
  name: string;
  /** Null for the partition open below (MINVALUE). */
  from: Date | null;
  to: Date;
  /** A concurrent detach that was interrupted: finished by the next drop. */
  detachPending: boolean;
};

const DAY_MS = 86_400_000;
// Maintenance on every instance at once: one at a time, the others find the work done.
const MAINTENANCE_LOCK = 0x7a5c11c5;

/** The partitions of `clicks`, oldest first. */
export async function listClickPartitions(db: Database): Promise<ClickPartition[]> {
  const rows = await queryRows<{ name: string; bound: string; detach_pending: boolean }>(
    db,
    sql`SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, i.inhdetachpending AS detach_pending
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'clicks'::regclass`,
  );
  return rows
    .map((r) => ({ name: r.name, ...boundsOf(r.bound), detachPending: r.detach_pending }))
    .sort((a, b) => a.to.getTime() - b.to.getTime());
}

/** `FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2026-12-02 00:00:00+00')`, or FROM (MINVALUE). */
function boundsOf(bound: string): { from: Date | null; to: Date } {
  const match = /FROM \((MINVALUE|'([^']+)')\) TO \('([^']+)'\)/.exec(bound);
  if (!match?.[3]) throw new Error(`unexpected partition bound of clicks: ${bound}`);
  return { from: match[2] ? new Date(match[2]) : null, to: new Date(match[3]) };
}

function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function partitionNameOf(day: Date): string {
  return `clicks_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Creates the day partitions from the newest one's end through `aheadDays` after today, so a
 * click always finds its partition (one that finds none is quarantined by the ingest, never
 * blocking the batch). Each is made as a plain table and attached: ATTACH takes only a SHARE
 * UPDATE EXCLUSIVE lock on `clicks`, so ingest and reports go on, where CREATE TABLE .. PARTITION
 * OF would lock them out. Returns the names created.
 */
export async function ensureClickPartitions(
  db: Database,
  options: { now: Date; aheadDays: number },
): Promise<string[]> {
  const until = new Date(startOfUtcDay(options.now).getTime() + (options.aheadDays + 1) * DAY_MS);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MAINTENANCE_LOCK})`);
    const partitions = await listClickPartitions(tx);
    const newest = partitions.at(-1);
    // Never before the newest partition's end: days are only added after it, so no gap opens.
    let day = newest ? newest.to : startOfUtcDay(options.now);
    const created: string[] = [];
    while (day < until) {
      const next = new Date(day.getTime() + DAY_MS);
      const name = partitionNameOf(day);
      await tx.execute(
        sql`CREATE TABLE ${sql.identifier(name)} (LIKE clicks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
      );
      await tx.execute(
        sql`ALTER TABLE clicks ATTACH PARTITION ${sql.identifier(name)}
            FOR VALUES FROM (${sql.raw(literal(day))}) TO (${sql.raw(literal(next))})`,
      );
      created.push(name);
      day = next;
    }
    return created;
  });
}

/** A timestamptz literal for DDL, which takes no parameters (made from a Date, never from input). */
function literal(at: Date): string {
  return `'${at.toISOString()}'::timestamptz`;
}

/**
 * Drops the partitions whose every click is older than `retentionDays` (counted from the start of
 * today, UTC): the raw rows only, the hourly rollups that reports read stay. Each is detached
 * CONCURRENTLY, which waits for the queries reading it instead of locking `clicks` (ingest and
 * reports are never held). Postgres lets one partition of a table be pending detach at a time, so
 * the detaches follow one another, each waiting for the statements in flight; the drops, which
 * free the files and lock only the detached tables, run beside them on another connection, all
 * that are detached so far in one statement (decision 032). Returns the names dropped.
 */
export async function dropExpiredClickPartitions(
  db: Database,
  options: { now: Date; retentionDays: number },
): Promise<string[]> {
  const cutoff = new Date(startOfUtcDay(options.now).getTime() - options.retentionDays * DAY_MS);
  const expired = (await listClickPartitions(db)).filter((p) => p.to <= cutoff);
  const dropped: string[] = [];
  let detached: string[] = [];
  let dropping: Promise<void> | null = null;
  const dropFailures: unknown[] = [];
  const dropDetached = async () => {
    while (detached.length > 0) {
      const names = detached;
      detached = [];
      await db.execute(
        sql`DROP TABLE IF EXISTS ${sql.join(
          names.map((name) => sql.identifier(name)),
          sql`, `,
        )}`,
      );
      dropped.push(...names);
    }
  };
  try {
    for (const partition of expired) {
      const name = sql.identifier(partition.name);
      try {
        await db.execute(
          partition.detachPending
            ? sql`ALTER TABLE clicks DETACH PARTITION ${name} FINALIZE`
            : sql`ALTER TABLE clicks DETACH PARTITION ${name} CONCURRENTLY`,
        );
      } catch (error) {
        // Another instance is detaching it (or did): it drops it, or the next round does.
        if (await isClickPartition(db, partition.name)) throw error;
      }
      if (await isClickPartition(db, partition.name)) continue;
      detached.push(partition.name);
      // Caught at once (a rejection left for later would crash the process), rethrown below.
      dropping ??= dropDetached()
        .catch((error: unknown) => {
          dropFailures.push(error);
        })
        .finally(() => {
          dropping = null;
        });
      if (dropFailures.length > 0) break;
    }
  } finally {
    // Those detached while the last drop ran, and a failure's partitions left detached: a detached
    // table is no longer a partition, so no later round would find it.
    while (dropping) await dropping;
    if (dropFailures.length === 0 && detached.length > 0) await dropDetached();
  }
  if (dropFailures.length > 0) throw dropFailures[0];
  return dropped;
}

async function isClickPartition(db: Database, name: string): Promise<boolean> {
  const rows = await queryRows<{ found: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       WHERE i.inhparent = 'clicks'::regclass AND c.relname = ${name}) AS found`,
  );
  return rows[0]?.found ?? false;
}
