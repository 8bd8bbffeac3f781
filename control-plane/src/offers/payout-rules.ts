import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Offer, offerPayoutRules } from '../db/schema/offers.ts';

type Rates = Pick<Offer, 'payoutType' | 'payoutMinor' | 'payoutBps' | 'revenueMinor' | 'revenueBps'>;

export function ratesChanged(before: Rates, after: Rates): boolean {
  return (
    before.payoutType !== after.payoutType ||
    before.payoutMinor !== after.payoutMinor ||
    before.payoutBps !== after.payoutBps ||
    before.revenueMinor !== after.revenueMinor ||
    before.revenueBps !== after.revenueBps
  );
}

/**
 * Starts a new version of the offer's default rates at `now`, ending the one in force. Clicks
 * before `now` keep being paid by the version they happened under.
 */
export async function startDefaultRates(db: Database, offerId: number, rates: Rates, now: Date) {
  await db
    .update(offerPayoutRules)
    .set({ effectiveTo: now })
    .where(
      and(
        eq(offerPayoutRules.offerId, offerId),
        isNull(offerPayoutRules.affiliateId),
        isNull(offerPayoutRules.effectiveTo),
      ),
    );
  await db.insert(offerPayoutRules).values({
    offerId,
    payoutType: rates.payoutType,
    payoutMinor: rates.payoutMinor,
    payoutBps: rates.payoutBps,
    revenueMinor: rates.revenueMinor,
    revenueBps: rates.revenueBps,
    effectiveFrom: now,
  });
}

/** Ends the affiliate's override in force, if any, and starts `payout` (none: back to default). */
export async function replaceOverride(
  db: Database,
  offer: Offer,
  affiliateId: number,
  payout: { payoutMinor: number; payoutBps: number } | null,
  now: Date,
) {
  const ended = await db
    .update(offerPayoutRules)
    .set({ effectiveTo: now })
    .where(
      and(
        eq(offerPayoutRules.offerId, offer.id),
        eq(offerPayoutRules.affiliateId, affiliateId),
        isNull(offerPayoutRules.effectiveTo),
      ),
    )
    .returning({ id: offerPayoutRules.id });
  if (!payout) return ended.length > 0;
  await db.insert(offerPayoutRules).values({
    offerId: offer.id,
    affiliateId,
    payoutType: offer.payoutType,
    payoutMinor: payout.payoutMinor,
    payoutBps: payout.payoutBps,
    effectiveFrom: now,
  });
  return true;
}

/** Overrides in force now, per affiliate. */
export function currentOverrides(db: Database, offerId: number) {
  return db
    .select()
    .from(offerPayoutRules)
    .where(and(eq(offerPayoutRules.offerId, offerId), isNull(offerPayoutRules.effectiveTo)))
    .then((rows) => rows.filter((r) => r.affiliateId !== null));
}
