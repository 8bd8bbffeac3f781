import type { ConversionEvent, TrackingEvent } from '@tas/shared/events';
import { inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import { isDataError, rootMessage, sqlStateOf } from './database-errors.ts';
import { holdBackEarlyConversions } from './early-conversions.ts';
import { ingestEvents } from './ingest-events.ts';
import { judgeEvents } from './judge-events.ts';
import { bodyKeyOf, type QuarantineEntry, quarantineEvents } from './quarantine.ts';

export type StoredBatch = {
  received: number;
  clicksInserted: number;
  conversionsInserted: number;
  quarantined: number;
  statusUpdates: number;
  approvedCampaignIds: number[];
  /** Offers of the batch's conversions and status changes: whose advertisers' funds may have moved. */
  conversionOfferIds: number[];
  /** Keys (bodyKeyOf) of the events quarantined by this call. */
  quarantinedKeys: Set<string>;
  /** Ids of conversions held back for their click, to be sent again (early-conversions.ts). */
  deferred: string[];
};

export type StoreOptions = {
  /**
   * The sender retries the conversions answered `deferred` (the edge's queue consumer says so):
   * a conversion whose recent click has not arrived is held back instead of stored without it.
   */
  canDefer?: boolean;
  now?: Date;
};

/**
 * Stores a batch as it came from the edge without letting any event hold back another: each
 * event is judged alone (invalid ones are quarantined with their reason); the valid ones are
 * stored in one statement, and if the database refuses that statement for the data of some
 * event, the batch is stored in halves until the event is found and quarantined with the
 * database's own message. Only a database that is down fails the call (to be retried whole).
 */
export async function storeBatch(
  db: Database,
  events: readonly unknown[],
  { canDefer = false, now = new Date() }: StoreOptions = {},
): Promise<StoredBatch> {
  const { valid: judged, invalid } = judgeEvents(events);
  const { ready: valid, deferred } = canDefer
    ? await holdBackEarlyConversions(db, judged, now)
    : { ready: judged, deferred: [] };
  const priced = await keepUnconvertedAmountsApart(db, valid);
  const result: StoredBatch = {
    received: events.length,
    clicksInserted: 0,
    conversionsInserted: 0,
    quarantined: 0,
    statusUpdates: 0,
    approvedCampaignIds: [],
    conversionOfferIds: [...new Set(valid.flatMap((e) => (e.type === 'click' ? [] : [e.offerId])))],
    quarantinedKeys: new Set(),
    deferred: deferred.map((e) => e.id),
  };
  const refused: QuarantineEntry[] = [...invalid];
  await storeInParts(db, priced, result, refused);
  await quarantineEvents(db, refused);
  result.quarantined = refused.length;
  for (const entry of refused) result.quarantinedKeys.add(bodyKeyOf(entry.event));
  result.approvedCampaignIds = [...new Set(result.approvedCampaignIds)];
  return result;
}

async function storeInParts(
  db: Database,
  events: TrackingEvent[],
  result: StoredBatch,
  refused: QuarantineEntry[],
): Promise<void> {
  if (events.length === 0) return;
  try {
    const stored = await ingestEvents(db, { events });
    result.clicksInserted += stored.clicksInserted;
    result.conversionsInserted += stored.conversionsInserted;
    result.statusUpdates += stored.statusUpdates;
    result.approvedCampaignIds.push(...stored.approvedCampaignIds);
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (events.length === 1) {
      refused.push({
        event: events[0],
        reasonCode: 'database_refused',
        reason: `The database refused the event: ${databaseMessage(error)}`,
      });
      return;
    }
    const half = Math.ceil(events.length / 2);
    await storeInParts(db, events.slice(0, half), result, refused);
    await storeInParts(db, events.slice(half), result, refused);
  }
}

function databaseMessage(error: unknown): string {
  return `${rootMessage(error)} (SQLSTATE ${sqlStateOf(error)})`;
}

/**
 * Revenue share is a share of the sale in the offer's currency. The edge converts other
 * currencies (or refuses them); an event from an older edge may still carry an amount in another
 * currency. It is stored as sent (sentAmountMinor/sentCurrency), unpriced, and held for review
 * rather than paid as if it were the offer's currency.
 */
async function keepUnconvertedAmountsApart(db: Database, events: TrackingEvent[]): Promise<TrackingEvent[]> {
  const priced = events.filter(
    (e): e is ConversionEvent => e.type === 'conversion' && e.currency !== null && e.amountMinor !== null,
  );
  if (priced.length === 0) return events;
  const offerIds = [...new Set(priced.map((e) => e.offerId))];
  const rows = await db
    .select({ id: offers.id, currency: offers.currency })
    .from(offers)
    .where(inArray(offers.id, offerIds));
  const currencyOf = new Map(rows.map((r) => [r.id, r.currency]));
  return events.map((e) => {
    if (e.type !== 'conversion' || e.currency === null || e.amountMinor === null) return e;
    const offerCurrency = currencyOf.get(e.offerId);
    if (offerCurrency === undefined || offerCurrency === e.currency) return e;
    // An amount the edge converted keeps what the advertiser sent; only an unconverted one moves there.
    const sent =
      e.sentCurrency === null
        ? { sentAmountMinor: e.amountMinor, sentCurrency: e.currency, exchangeRate: null }
        : {};
    return {
      ...e,
      amountMinor: null,
      currency: null,
      ...sent,
      fraudFlags: [...e.fraudFlags, 'currency_unconverted' as const],
    };
  });
}
