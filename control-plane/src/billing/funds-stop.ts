import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { edgeConfigOf } from '../edge-sync/publish-offer.ts';
import type { Mailer } from '../mail/mailer.ts';
import { fundedAdvertisersOfOffers } from './funds-candidates.ts';
import { noticeFundsChanges } from './funds-notice.ts';
import { type FundsChange, refreshFundsState, stopChanged } from './funds-state.ts';

export type FundsDeps = { db: Database; edge: EdgePublisher; mailer: Mailer };

const CHUNK = 200;

/**
 * Republishes an advertiser's live offers in one currency (their configs carry `fundsStopped`
 * from advertiser_funds). The offer rows are locked in id order first, as publishOffer locks one,
 * so a concurrent change of one of them publishes after this, from what this committed.
 */
export async function publishOffersInCurrency(
  tx: Database,
  edge: EdgePublisher,
  advertiserId: number,
  currency: string,
): Promise<number> {
  const rows = await tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.advertiserId, advertiserId),
        eq(offers.currency, currency),
        inArray(offers.status, ['active', 'paused']),
      ),
    )
    .orderBy(asc(offers.id))
    .for('update');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const upsert = [];
    const remove = [];
    for (const offer of rows.slice(i, i + CHUNK)) {
      const config = await edgeConfigOf(tx, offer);
      if (config) upsert.push(config);
      else remove.push(offer.id);
    }
    await edge.publish({ upsert: { offers: upsert }, remove: { offers: remove } });
  }
  return rows.length;
}

/**
 * Records the advertisers' funds states and tells the edge of every stop and every resumption.
 * Call inside a transaction (decision 017's rule, as for budgets): when the edge refuses, it
 * throws, the transaction rolls back and nothing is marked, so the next evaluation tries again.
 * The caller sends the notices once it has committed.
 */
export async function markAndPublishFunds(
  tx: Database,
  edge: EdgePublisher,
  advertiserIds: readonly number[],
  now: Date,
): Promise<FundsChange[]> {
  const changes = await refreshFundsState(tx, advertiserIds, now);
  for (const change of changes.filter(stopChanged)) {
    await publishOffersInCurrency(tx, edge, change.advertiserId, change.currency);
  }
  return changes;
}

/**
 * Re-evaluates the advertisers' funds, publishes what changed and emails the notices, in its own
 * transaction (a savepoint when `deps.db` is one already: a refusal then undoes only this).
 */
export async function syncFundsState(
  deps: FundsDeps,
  advertiserIds: readonly number[],
  now: Date,
): Promise<FundsChange[]> {
  if (advertiserIds.length === 0) return [];
  const changes = await deps.db.transaction((tx) => markAndPublishFunds(tx, deps.edge, advertiserIds, now));
  await noticeFundsChanges(deps, changes);
  return changes;
}

/**
 * syncFundsState for callers whose own work is already done (ingest, conversion changes, a
 * credited top-up): a failure is logged, not thrown, and the periodic sweep settles it later.
 */
export async function syncFundsStateLogged(
  deps: FundsDeps,
  advertiserIds: readonly number[],
  now: Date,
): Promise<void> {
  await syncFundsState(deps, advertiserIds, now).catch((error: unknown) => {
    console.error(
      JSON.stringify({ msg: 'advertiser funds not synced', advertiserIds, error: String(error) }),
    );
  });
}

/**
 * After conversions of these offers were stored or changed: re-evaluates the advertisers among
 * theirs whose money can run out (prepaid, or a credit limit), and no one else; logged, not thrown.
 */
export async function syncFundsOfOffersLogged(
  deps: FundsDeps,
  offerIds: readonly number[],
  now: Date,
): Promise<void> {
  if (offerIds.length === 0) return;
  let advertiserIds: number[];
  try {
    advertiserIds = await fundedAdvertisersOfOffers(deps.db, offerIds);
  } catch (error) {
    console.error(JSON.stringify({ msg: 'advertiser funds not synced', offerIds, error: String(error) }));
    return;
  }
  await syncFundsStateLogged(deps, advertiserIds, now);
}
