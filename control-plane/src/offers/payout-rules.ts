import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { type Offer, type OfferPayoutRule, offerPayoutRules } from '../db/schema/offers.ts';
import { ApiError } from '../http/api-error.ts';

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

/*
 * An override is an amount for the payout type the offer had when it was set (the row keeps it):
 * minor units per conversion (cpa, cpl, cps) or per click (cpc), or basis points of the sale
 * (revshare). The ingest applies the override in force at click time whatever the type of the
 * default it pairs with, so an override outliving its type would pay the wrong unit: 0 basis
 * points after cpa -> revshare, 0 minor units after revshare -> cpa, a per-conversion amount per
 * click after cpa -> cpc. Changing the offer's payout type therefore ends its overrides, at the same
 * instant the new default starts (decision 020).
 */

/** Ends every override in force on the offer at `now`: call with startDefaultRates when the payout type changes. */
export async function endOverrides(db: Database, offerId: number, now: Date) {
  const ended = await db
    .update(offerPayoutRules)
    .set({ effectiveTo: now })
    .where(
      and(
        eq(offerPayoutRules.offerId, offerId),
        isNotNull(offerPayoutRules.affiliateId),
        isNull(offerPayoutRules.effectiveTo),
      ),
    )
    .returning({ id: offerPayoutRules.id });
  return ended.length;
}

/** Refuses an override in the unit the offer does not pay by, which would pay nothing. */
export function checkOverrideUnit(offer: Offer, payout: { payoutMinor: number; payoutBps: number }) {
  if (offer.payoutType === 'revshare' && payout.payoutMinor !== 0) {
    throw new ApiError(
      'invalid_request',
      `Offer ${offer.id} pays a share of the sale (revshare): give the override as payoutBps, not payoutMinor.`,
    );
  }
  if (offer.payoutType !== 'revshare' && payout.payoutBps !== 0) {
    throw new ApiError(
      'invalid_request',
      `Offer ${offer.id} pays a fixed amount (${offer.payoutType}): give the override as payoutMinor, not payoutBps.`,
    );
  }
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

export type OverrideEndReason = 'payout_type_changed' | 'replaced' | 'removed';

/**
 * Every override version of the offer, newest first, with why each ended: the offer's payout type
 * changed (a default of another type started at that instant), a new override for the affiliate
 * started then, or it was removed. Ended rows are never deleted: this is the audit trail.
 */
export async function overrideHistory(db: Database, offerId: number) {
  const rules = await db
    .select()
    .from(offerPayoutRules)
    .where(eq(offerPayoutRules.offerId, offerId))
    .orderBy(desc(offerPayoutRules.effectiveFrom), desc(offerPayoutRules.id));
  const startsAt = (rule: OfferPayoutRule, time: Date) => rule.effectiveFrom.getTime() === time.getTime();
  const endReason = (o: OfferPayoutRule): OverrideEndReason | null => {
    const end = o.effectiveTo;
    if (!end) return null;
    if (rules.some((r) => r.affiliateId === null && startsAt(r, end) && r.payoutType !== o.payoutType)) {
      return 'payout_type_changed';
    }
    return rules.some((r) => r.affiliateId === o.affiliateId && r.id !== o.id && startsAt(r, end))
      ? 'replaced'
      : 'removed';
  };
  return rules
    .filter((r) => r.affiliateId !== null)
    .map((r) => ({ ...r, affiliateId: r.affiliateId ?? 0, endReason: endReason(r) }));
}

/** Overrides in force now, per affiliate. */
export function currentOverrides(db: Database, offerId: number) {
  return db
    .select()
    .from(offerPayoutRules)
    .where(and(eq(offerPayoutRules.offerId, offerId), isNull(offerPayoutRules.effectiveTo)))
    .then((rows) => rows.filter((r) => r.affiliateId !== null));
}
