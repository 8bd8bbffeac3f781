import type { ConversionStatusEvent } from '@tas/shared/events';
import { and, inArray, isNull, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { conversionStatusUpdates, conversions } from '../db/schema/conversions.ts';
import { applyConversionChanges, type ConversionChange, nextValues } from './conversion-changes.ts';

// Any constant shared by the appliers; distinct from other advisory locks in this database.
const STATUS_UPDATE_LOCK = 7_410_001;

const ACTION = { approved: 'approve', rejected: 'reject', pending: 'pend' } as const;

/** Stores status changes from the edge; a redelivered event (same id) is stored once. */
export async function storeStatusUpdates(db: Database, events: ConversionStatusEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insert(conversionStatusUpdates)
    .values(
      events.map((e) => ({
        id: e.id,
        conversionId: e.conversionId,
        offerId: e.offerId,
        status: e.status,
        occurredAt: new Date(e.occurredAt),
      })),
    )
    .onConflictDoNothing();
}

/**
 * Applies the advertiser status changes whose conversion is stored, whichever arrived first. Per
 * conversion only the newest change counts, and a change older than one already applied is
 * superseded (queues may reorder). A conversion the edge rejected (over a cap) stays rejected:
 * an advertiser cannot make it payable. Each change is audited like an API change (no user,
 * reason "advertiser postback") and fires the affiliate postbacks its status calls for.
 * Returns the campaigns whose spend may have moved.
 */
export async function applyStatusUpdates(db: Database, now: Date): Promise<number[]> {
  // Nearly always nothing waits: one look at the partial index, no lock taken.
  const [waiting] = await db
    .select({ id: conversionStatusUpdates.id })
    .from(conversionStatusUpdates)
    .where(isNull(conversionStatusUpdates.appliedAt))
    .limit(1);
  if (!waiting) return [];
  return db.transaction(async (tx) => {
    // One applier at a time: concurrent ingests would otherwise apply the same change twice.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${STATUS_UPDATE_LOCK})`);
    const pending = await queryRows<{
      id: string;
      conversion_id: string;
      status: ConversionStatusEvent['status'];
    }>(
      tx,
      sql`
      SELECT DISTINCT ON (u.conversion_id) u.id, u.conversion_id, u.status
      FROM conversion_status_updates u
      JOIN conversions v ON v.id = u.conversion_id
      WHERE u.applied_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM conversion_status_updates a
          WHERE a.conversion_id = u.conversion_id AND a.applied_at IS NOT NULL AND a.occurred_at > u.occurred_at)
      ORDER BY u.conversion_id, u.occurred_at DESC, u.id
      LIMIT 1000`,
    );
    if (pending.length === 0) {
      // What remains unapplied for a stored conversion is older than an applied change.
      await markSuperseded(tx, now);
      return [];
    }
    const rows = await tx
      .select()
      .from(conversions)
      .where(
        inArray(
          conversions.id,
          pending.map((p) => p.conversion_id),
        ),
      )
      .for('update');
    const byId = new Map(rows.map((r) => [r.id, r]));
    const outcomes = new Map<string, 'changed' | 'unchanged' | 'refused'>();
    const changes: (ConversionChange & { status: ConversionStatusEvent['status'] })[] = [];
    for (const update of pending) {
      const row = byId.get(update.conversion_id);
      if (!row) continue;
      if (row.reason !== null) {
        outcomes.set(update.conversion_id, 'refused');
        continue;
      }
      const after = nextValues(row, { action: ACTION[update.status] });
      if (after.status === row.status) outcomes.set(update.conversion_id, 'unchanged');
      else {
        outcomes.set(update.conversion_id, 'changed');
        changes.push({ row, after, status: update.status });
      }
    }
    const campaignIds: number[] = [];
    for (const status of ['approved', 'rejected', 'pending'] as const) {
      const group = changes.filter((c) => c.status === status);
      if (group.length === 0) continue;
      campaignIds.push(
        ...(await applyConversionChanges(tx, group, {
          action: ACTION[status],
          reason: 'advertiser postback',
          userId: null,
          now,
        })),
      );
    }
    await tx.execute(sql`
      UPDATE conversions AS v SET advertiser_status = u.status::conversion_status
      FROM unnest(${sql.param(pending.map((p) => p.conversion_id))}::uuid[], ${sql.param(pending.map((p) => p.status))}::text[])
        AS u(id, status)
      WHERE v.id = u.id AND v.reason IS NULL`);
    // The applied one records its outcome; older unapplied ones of the same conversion are superseded.
    await tx.execute(sql`
      UPDATE conversion_status_updates AS s
      SET applied_at = ${now.toISOString()}::timestamptz,
          outcome = CASE WHEN s.id = ANY(${sql.param(pending.map((p) => p.id))}::uuid[]) THEN o.outcome ELSE 'superseded' END
      FROM unnest(${sql.param([...outcomes.keys()])}::uuid[], ${sql.param([...outcomes.values()])}::text[])
        AS o(conversion_id, outcome)
      WHERE s.conversion_id = o.conversion_id AND s.applied_at IS NULL`);
    await markSuperseded(tx, now);
    return [...new Set(campaignIds)];
  });
}

async function markSuperseded(db: Database, now: Date) {
  await db
    .update(conversionStatusUpdates)
    .set({ appliedAt: now, outcome: 'superseded' })
    .where(
      and(
        isNull(conversionStatusUpdates.appliedAt),
        sql`EXISTS (SELECT 1 FROM conversion_status_updates a
                    WHERE a.conversion_id = ${conversionStatusUpdates.conversionId}
                      AND a.applied_at IS NOT NULL AND a.occurred_at > ${conversionStatusUpdates.occurredAt})`,
      ),
    );
}
