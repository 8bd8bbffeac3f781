import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { readBillingSettingsOf } from './billing-settings.ts';
import { evaluateFunds, type FundsPicture, type FundsState, noticeFor } from './funds-evaluation.ts';
import { readFundsFigures } from './funds-figures.ts';

/** Namespace of the per-advertiser advisory lock (the key's second half is the advertiser id). */
const FUNDS_LOCK = 7_410_024;

/** A change of an advertiser's funds state in one currency, or of what it was told about it. */
export type FundsChange = {
  advertiserId: number;
  currency: string;
  from: FundsState;
  to: FundsState;
  /** The notice to email for this change, if any (funds-notice.ts). */
  notice: FundsState | null;
  picture: FundsPicture;
};

/** Whether the edge must be told: the offers in that currency stop or serve again. */
export const stopChanged = (change: FundsChange) =>
  (change.from === 'exhausted') !== (change.to === 'exhausted');

/**
 * Evaluates the advertisers' funds in every currency that matters to them and records each state
 * that changed (and the notice it calls for). Call inside a transaction: the advertisers are
 * locked first, in id order, so two evaluations of one advertiser (an ingest and the sweep, say)
 * take turns and the second sees what the first recorded; a change is reported, published and
 * noticed once.
 */
export async function refreshFundsState(
  tx: Database,
  advertiserIds: readonly number[],
  now: Date,
): Promise<FundsChange[]> {
  const ids = [...new Set(advertiserIds)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  // Locked in a subquery's order: an ORDER BY beside the call would sort after locking.
  await tx.execute(sql`
    SELECT pg_advisory_xact_lock(${FUNDS_LOCK}, s.id)
    FROM (SELECT unnest(${sql.param(ids)}::int[]) AS id ORDER BY 1) s`);
  const settings = await readBillingSettingsOf(tx, ids);
  const changes: (FundsChange & { noticed: FundsState | null })[] = [];
  for (const figures of await readFundsFigures(tx, ids)) {
    const terms = settings.get(figures.advertiserId);
    if (!terms) continue;
    const picture = evaluateFunds(terms, figures.currency, figures.sums);
    const from = figures.stored?.state ?? 'available';
    const wasNoticed = figures.stored?.noticed ?? null;
    const { send, noticed } = noticeFor(picture.state, wasNoticed);
    if (picture.state === from && noticed === wasNoticed) continue;
    changes.push({
      advertiserId: figures.advertiserId,
      currency: figures.currency,
      from,
      to: picture.state,
      notice: send,
      noticed,
      picture,
    });
  }
  if (changes.length === 0) return [];
  const col = <T>(pick: (c: (typeof changes)[number]) => T) => sql.param(changes.map(pick));
  await tx.execute(sql`
    INSERT INTO advertiser_funds AS f (advertiser_id, currency, state, noticed, changed_at)
    SELECT n.advertiser_id, n.currency, n.state::funds_state, n.noticed::funds_state, ${now.toISOString()}::timestamptz
    FROM unnest(${col((c) => c.advertiserId)}::int[], ${col((c) => c.currency)}::text[],
                ${col((c) => c.to)}::text[], ${col((c) => c.noticed)}::text[])
      AS n(advertiser_id, currency, state, noticed)
    ON CONFLICT (advertiser_id, currency) DO UPDATE SET
      state = excluded.state,
      noticed = excluded.noticed,
      changed_at = CASE WHEN f.state = excluded.state THEN f.changed_at ELSE excluded.changed_at END`);
  return changes.map(({ noticed: _, ...change }) => change);
}
