import { and, eq, inArray, sql } from 'drizzle-orm';
import { queueAdPlatformEvents } from '../ad-platforms/forwarding-queue.ts';
import type { Principal } from '../auth/principal.ts';
import { syncFundsOfOffersLogged } from '../billing/funds-stop.ts';
import { type BudgetDeps, syncBudgetStateLogged } from '../campaigns/campaign-budget-state.ts';
import type { Database } from '../db/database.ts';
import { type Conversion, conversionChanges, conversions } from '../db/schema/conversions.ts';
import { ApiError } from '../http/api-error.ts';
import { syncConversionLedger } from '../ledger/conversion-ledger.ts';
import { queuePostbacks } from '../postbacks/postback-outbox.ts';
import { conversionScope } from './conversion-queries.ts';
import type { ConversionChangeRequest } from './conversion-schemas.ts';

type Values = { status: Conversion['status']; payoutMinor: number; revenueMinor: number };

export function nextValues(
  row: Conversion,
  request: Pick<ConversionChangeRequest, 'action' | 'payoutMinor' | 'revenueMinor'>,
): Values {
  const current = { status: row.status, payoutMinor: row.payoutMinor, revenueMinor: row.revenueMinor };
  switch (request.action) {
    case 'approve':
      return { ...current, status: 'approved' };
    case 'pend':
      return { ...current, status: 'pending' };
    case 'reject':
      return { ...current, status: 'rejected' };
    case 'reverse':
      // Only what counted can be reversed; a rejected conversion stays as it is.
      return row.status === 'rejected' ? current : { ...current, status: 'rejected' };
    case 'adjust':
      return {
        ...current,
        payoutMinor: request.payoutMinor ?? current.payoutMinor,
        revenueMinor: request.revenueMinor ?? current.revenueMinor,
      };
  }
}

const counted = (v: Values) => v.status !== 'rejected';

/**
 * Changes conversions selected by id or by (offer, txid), within what the principal may change.
 * A dry run (the default) counts and changes nothing. Applied, every change is logged with its
 * before/after, the hourly rollup is corrected by the difference and the affiliate postbacks the
 * new status fires on are queued, in one transaction.
 */
export async function changeConversions(
  deps: BudgetDeps & { now?: () => Date },
  principal: Principal,
  request: ConversionChangeRequest,
) {
  if (principal.role === 'affiliate')
    throw new ApiError('forbidden', 'Affiliates cannot change conversions.');
  // What the network pays its affiliates is the network's decision; advertisers adjust what they pay.
  if (principal.role === 'advertiser' && request.payoutMinor !== undefined) {
    throw new ApiError('forbidden', 'Advertisers adjust revenue, not the affiliate payout.');
  }
  const now = deps.now?.() ?? new Date();
  const { result, campaignIds, offerIds } = await deps.db.transaction(async (tx) => {
    const selector = request.conversionIds
      ? inArray(conversions.id, request.conversionIds)
      : and(eq(conversions.offerId, request.offerId ?? -1), inArray(conversions.txid, request.txids ?? []));
    const query = tx
      .select()
      .from(conversions)
      .where(and(selector, conversionScope(principal)));
    // Locked so that concurrent changes of the same conversions apply one after the other.
    const rows = request.dryRun ? await query : await query.for('update');
    const changes = rows
      .map((row) => ({ row, after: nextValues(row, request) }))
      .filter(
        ({ row, after }) =>
          after.status !== row.status ||
          after.payoutMinor !== row.payoutMinor ||
          after.revenueMinor !== row.revenueMinor,
      );
    const result = {
      dryRun: request.dryRun,
      matched: rows.length,
      changed: changes.length,
      conversionIds: changes.slice(0, 1000).map((c) => c.row.id),
    };
    if (request.dryRun || changes.length === 0) return { result, campaignIds: [], offerIds: [] };

    const campaignIds = await applyConversionChanges(tx, changes, {
      action: request.action,
      reason: request.reason ?? null,
      userId: principal.userId,
      now,
    });
    return { result, campaignIds, offerIds: changes.map((c) => c.row.offerId) };
  });
  await syncBudgetStateLogged(deps, campaignIds, now);
  // A rejection or reversal gives an advertiser's money back; an approval or adjustment may use it up.
  await syncFundsOfOffersLogged(deps, offerIds, now);
  return result;
}

export type ConversionChange = { row: Conversion; after: Values };

/**
 * Writes decided changes: the new values, the ledger posted by the difference, one audit row
 * each, the rollup corrected by the difference, and the affiliate postbacks and ad-platform events the new
 * statuses call for. Call inside a transaction
 * holding the rows' locks. Returns the campaigns whose spend may have moved.
 */
export async function applyConversionChanges(
  tx: Database,
  changes: ConversionChange[],
  meta: {
    action: ConversionChangeRequest['action'];
    reason: string | null;
    userId: string | null;
    now: Date;
  },
): Promise<number[]> {
  if (changes.length === 0) return [];
  const col = <T>(pick: (c: ConversionChange) => T) => sql.param(changes.map(pick));
  await tx.execute(sql`
    UPDATE conversions AS v SET status = n.status::conversion_status, payout_minor = n.payout_minor, revenue_minor = n.revenue_minor
    FROM unnest(${col((c) => c.row.id)}::uuid[], ${col((c) => c.after.status)}::text[],
                ${col((c) => c.after.payoutMinor)}::bigint[], ${col((c) => c.after.revenueMinor)}::bigint[])
      AS n(id, status, payout_minor, revenue_minor)
    WHERE v.id = n.id`);
  // The money follows the figures in the same transaction, by difference (decision 021).
  await syncConversionLedger(
    tx,
    changes.map((c) => c.row.id),
  );
  await tx.insert(conversionChanges).values(
    changes.map(({ row, after }) => ({
      conversionId: row.id,
      action: meta.action,
      before: { status: row.status, payoutMinor: row.payoutMinor, revenueMinor: row.revenueMinor },
      after,
      reason: meta.reason,
      userId: meta.userId,
      changedAt: meta.now,
    })),
  );
  await correctRollup(tx, changes);
  const statusChanged = changes.filter((c) => c.after.status !== c.row.status).map((c) => c.row.id);
  await queuePostbacks(tx, statusChanged);
  await queueAdPlatformEvents(tx, statusChanged);
  return [...new Set(changes.flatMap((c) => (c.row.campaignId === null ? [] : [c.row.campaignId])))];
}

/** Moves each changed conversion's contribution to the rollup from its old values to its new ones. */
async function correctRollup(db: Database, changes: { row: Conversion; after: Values }[]) {
  type Delta = {
    key: [string, number, number, string, string, string];
    n: number;
    approved: number;
    pending: number;
    rejected: number;
    payout: number;
    revenue: number;
  };
  const deltas = new Map<string, Delta>();
  const is = (v: Values, status: Conversion['status']) => (v.status === status ? 1 : 0);
  for (const { row, after } of changes) {
    const before = { status: row.status, payoutMinor: row.payoutMinor, revenueMinor: row.revenueMinor };
    const n = (counted(after) ? 1 : 0) - (counted(before) ? 1 : 0);
    const approved = is(after, 'approved') - is(before, 'approved');
    const pending = is(after, 'pending') - is(before, 'pending');
    const rejected = is(after, 'rejected') - is(before, 'rejected');
    const payout = (counted(after) ? after.payoutMinor : 0) - (counted(before) ? before.payoutMinor : 0);
    const revenue = (counted(after) ? after.revenueMinor : 0) - (counted(before) ? before.revenueMinor : 0);
    if (n === 0 && approved === 0 && pending === 0 && rejected === 0 && payout === 0 && revenue === 0)
      continue;
    const hour = new Date(Math.floor(row.occurredAt.getTime() / 3_600_000) * 3_600_000).toISOString();
    const key: Delta['key'] = [
      hour,
      row.offerId,
      row.affiliateId,
      row.sub1 ?? '',
      row.country ?? '',
      row.device ?? '',
    ];
    const id = JSON.stringify(key);
    const d = deltas.get(id) ?? { key, n: 0, approved: 0, pending: 0, rejected: 0, payout: 0, revenue: 0 };
    d.n += n;
    d.approved += approved;
    d.pending += pending;
    d.rejected += rejected;
    d.payout += payout;
    d.revenue += revenue;
    deltas.set(id, d);
  }
  if (deltas.size === 0) return;
  const list = [...deltas.values()].sort((a, b) =>
    JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
  );
  const col = <T>(pick: (d: (typeof list)[number]) => T) => sql.param(list.map(pick));
  await db.execute(sql`
    INSERT INTO hourly_stats AS h (hour, offer_id, affiliate_id, sub1, country, device, conversions,
                                   approved_conversions, pending_conversions, rejected_conversions,
                                   payout_minor, revenue_minor)
    SELECT * FROM unnest(${col((d) => d.key[0])}::timestamptz[], ${col((d) => d.key[1])}::int[], ${col((d) => d.key[2])}::int[],
                         ${col((d) => d.key[3])}::text[], ${col((d) => d.key[4])}::text[], ${col((d) => d.key[5])}::text[],
                         ${col((d) => d.n)}::bigint[], ${col((d) => d.approved)}::bigint[], ${col((d) => d.pending)}::bigint[],
                         ${col((d) => d.rejected)}::bigint[], ${col((d) => d.payout)}::bigint[], ${col((d) => d.revenue)}::bigint[])
    ON CONFLICT (hour, offer_id, affiliate_id, sub1, country, device) DO UPDATE SET
      conversions = h.conversions + excluded.conversions,
      approved_conversions = h.approved_conversions + excluded.approved_conversions,
      pending_conversions = h.pending_conversions + excluded.pending_conversions,
      rejected_conversions = h.rejected_conversions + excluded.rejected_conversions,
      payout_minor = h.payout_minor + excluded.payout_minor,
      revenue_minor = h.revenue_minor + excluded.revenue_minor`);
}
