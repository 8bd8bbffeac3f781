import type { ConversionStatusEvent } from '@tas/shared/events';
import { REVIEW_CONVERSION_FLAGS } from '@tas/shared/fraud-rules';
import { inArray, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { conversions } from '../db/schema/conversions.ts';
import { applyConversionChanges, type ConversionChange, nextValues } from './conversion-changes.ts';

// Any constant shared by the appliers; distinct from other advisory locks in this database.
const STATUS_UPDATE_LOCK = 7_410_001;

const ACTION = { approved: 'approve', rejected: 'reject', pending: 'pend' } as const;

/**
 * Stores status changes from the edge; a redelivered event (same id) is stored once. One
 * statement from column arrays, so no batch is too large for the driver's parameter limit.
 */
export async function storeStatusUpdates(db: Database, events: ConversionStatusEvent[]): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(pick: (e: ConversionStatusEvent) => T) => sql.param(events.map(pick));
  await db.execute(sql`
    INSERT INTO conversion_status_updates (id, conversion_id, click_id, offer_id, status, trusted, occurred_at)
    SELECT * FROM unnest(
      ${col((e) => e.id)}::uuid[], ${col((e) => e.conversionId)}::uuid[], ${col((e) => e.clickId)}::text[],
      ${col((e) => e.offerId)}::int[], ${col((e) => e.status)}::conversion_status[], ${col((e) => e.trusted)}::boolean[],
      ${col((e) => e.occurredAt)}::timestamptz[])
    ON CONFLICT DO NOTHING`);
}

/**
 * Applies the advertiser status changes whose conversion is stored, whichever arrived first.
 * Per conversion only the newest valid change counts. A change is refused when it names another
 * click than the conversion's (a txid alone must not let one affiliate's click move another's
 * conversion), when the edge rejected the conversion (over a cap: an advertiser cannot make it
 * payable), or when an untrusted postback (an offer without secret or allowlist, which anyone
 * with the click id may send) would approve a conversion held for review (decision 018); it is
 * superseded by a newer change already applied, by a change someone made through
 * the API after it, or by a newer change in the same round. Applied changes are audited like API
 * changes (no user, reason "advertiser postback") and fire the affiliate postbacks their status
 * calls for. Returns the campaigns whose spend may have moved.
 */
export async function applyStatusUpdates(db: Database, now: Date): Promise<number[]> {
  // Nearly always nothing waits: one look at the partial index, no lock taken. Changes whose
  // conversion has not arrived are not counted here, so they cost nothing until it does.
  const [waiting] = await queryRows<{ one: number }>(
    db,
    sql`SELECT 1 AS one FROM conversion_status_updates u JOIN conversions v ON v.id = u.conversion_id
        WHERE u.applied_at IS NULL LIMIT 1`,
  );
  if (!waiting) return [];
  return db.transaction(async (tx) => {
    // One applier at a time: concurrent ingests would otherwise apply the same change twice.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${STATUS_UPDATE_LOCK})`);
    // Read once, under the lock: only these rows are settled in this round; a change stored by a
    // concurrent ingest meanwhile stays unapplied for the next round.
    const unapplied = await queryRows<{
      id: string;
      conversion_id: string;
      status: ConversionStatusEvent['status'];
      other_click: boolean;
      untrusted_approval: boolean;
      stale: boolean;
    }>(
      tx,
      sql`
      SELECT u.id, u.conversion_id, u.status, u.click_id <> v.click_id AS other_click,
             (NOT u.trusted AND u.status = 'approved'
              AND v.fraud_flags ?| ${sql.param([...REVIEW_CONVERSION_FLAGS])}::text[]) AS untrusted_approval,
             (EXISTS (SELECT 1 FROM conversion_status_updates a
                      WHERE a.conversion_id = u.conversion_id AND a.applied_at IS NOT NULL
                        AND a.outcome IN ('changed', 'unchanged') AND a.occurred_at > u.occurred_at)
              OR EXISTS (SELECT 1 FROM conversion_changes cc
                         WHERE cc.conversion_id = u.conversion_id AND cc.user_id IS NOT NULL
                           AND cc.changed_at >= u.occurred_at)) AS stale
      FROM conversion_status_updates u
      JOIN conversions v ON v.id = u.conversion_id
      WHERE u.applied_at IS NULL
      ORDER BY u.conversion_id, u.occurred_at DESC, u.id
      LIMIT 5000`,
    );
    if (unapplied.length === 0) return [];
    const rows = await tx
      .select()
      .from(conversions)
      .where(inArray(conversions.id, [...new Set(unapplied.map((u) => u.conversion_id))]))
      .for('update');
    const byId = new Map(rows.map((r) => [r.id, r]));

    const outcomes = new Map<string, Outcome>();
    const chosen: { id: string; conversionId: string; status: ConversionStatusEvent['status'] }[] = [];
    const decided = new Set<string>();
    for (const u of unapplied) {
      const row = byId.get(u.conversion_id);
      if (!row || u.other_click || u.untrusted_approval || row.reason !== null) outcomes.set(u.id, 'refused');
      else if (u.stale || decided.has(u.conversion_id)) outcomes.set(u.id, 'superseded');
      else {
        // Newest first: the first valid change of a conversion is the one that counts.
        decided.add(u.conversion_id);
        chosen.push({ id: u.id, conversionId: u.conversion_id, status: u.status });
      }
    }
    const changes: (ConversionChange & { status: ConversionStatusEvent['status'] })[] = [];
    for (const c of chosen) {
      const row = byId.get(c.conversionId);
      if (!row) continue;
      const after = nextValues(row, { action: ACTION[c.status] });
      outcomes.set(c.id, after.status === row.status ? 'unchanged' : 'changed');
      if (after.status !== row.status) changes.push({ row, after, status: c.status });
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
    if (chosen.length > 0) {
      await tx.execute(sql`
        UPDATE conversions AS v SET advertiser_status = u.status::conversion_status
        FROM unnest(${sql.param(chosen.map((c) => c.conversionId))}::uuid[], ${sql.param(chosen.map((c) => c.status))}::text[])
          AS u(id, status)
        WHERE v.id = u.id`);
    }
    await tx.execute(sql`
      UPDATE conversion_status_updates AS s
      SET applied_at = ${now.toISOString()}::timestamptz, outcome = o.outcome
      FROM unnest(${sql.param([...outcomes.keys()])}::uuid[], ${sql.param([...outcomes.values()])}::text[])
        AS o(id, outcome)
      WHERE s.id = o.id`);
    return [...new Set(campaignIds)];
  });
}

type Outcome = 'changed' | 'unchanged' | 'refused' | 'superseded';

/** How long a change waits for its conversion before it is given up. */
export const ORPHAN_AFTER_DAYS = 30;

/**
 * Gives up changes whose conversion never arrived (its event was lost before the queue, or sits
 * in the dead-letter store for longer than anyone will wait): outcome `orphaned`. A dead-letter
 * replay after that still stores the conversion, with the status it was first posted with.
 */
export async function expireOrphanedStatusUpdates(db: Database, now: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE conversion_status_updates AS u
        SET applied_at = ${now.toISOString()}::timestamptz, outcome = 'orphaned'
        WHERE u.applied_at IS NULL
          AND u.received_at < ${now.toISOString()}::timestamptz - make_interval(days => ${ORPHAN_AFTER_DAYS})
          AND NOT EXISTS (SELECT 1 FROM conversions v WHERE v.id = u.conversion_id)
        RETURNING u.id`,
  );
  return rows.length;
}
