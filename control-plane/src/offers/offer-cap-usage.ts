import { scopeUsageSchema } from '@tas/shared/cap-usage';
import { affiliateCapLimits, capLimitsSchema, hasAnyCap } from '@tas/shared/caps';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import type { Offer } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';

const MAX_AFFILIATES = 1000;

const scopeSchema = z.object({
  limits: capLimitsSchema,
  used: scopeUsageSchema.describe('Counted by the edge, which enforces the limits (UTC day and month)'),
});

export const offerCapUsageResponseSchema = z
  .object({
    offerId: z.number().int(),
    day: z.iso.date().describe('The UTC day the daily figures are for'),
    month: z.string().describe('The UTC month (YYYY-MM) the monthly figures are for'),
    offer: scopeSchema.describe('Across all affiliates'),
    affiliates: z
      .array(scopeSchema.extend({ affiliateId: z.number().int() }))
      .describe(
        'Per-affiliate caps: for an affiliate, its own only; otherwise every affiliate with an override, ' +
          'approved on the offer, or with clicks this month (at most 1000)',
      ),
  })
  .describe("How much of an offer's caps is used, read from the edge's counters")
  .meta({ id: 'OfferCapUsage' });
export type OfferCapUsage = z.infer<typeof offerCapUsageResponseSchema>;

/**
 * The offer's caps beside what the edge has counted against them. Counters exist only for
 * scopes with a cap; an uncapped scope reads 0.
 */
export async function offerCapUsage(
  deps: { db: Database; edge: EdgePublisher },
  principal: Principal,
  offer: Offer,
  now: Date,
): Promise<OfferCapUsage> {
  const affiliateIds =
    principal.role === 'affiliate'
      ? [principal.affiliateId ?? -1].filter((id) => id > 0)
      : await affiliatesWithCaps(deps.db, offer, now);
  const usage = await deps.edge.capUsage({ offerId: offer.id, affiliateIds, at: now.toISOString() });
  const used = new Map(usage.affiliates.map((a) => [a.affiliateId, a.used]));
  const none = { clicks: { daily: 0, monthly: 0 }, conversions: { daily: 0, monthly: 0 } };
  return {
    offerId: offer.id,
    day: usage.day,
    month: usage.month,
    offer: { limits: offer.caps.offer, used: usage.offer },
    affiliates: affiliateIds.map((affiliateId) => ({
      affiliateId,
      limits: affiliateCapLimits(offer.caps, affiliateId),
      used: used.get(affiliateId) ?? none,
    })),
  };
}

/** The affiliates whose per-affiliate caps are worth showing to the offer's owner. */
async function affiliatesWithCaps(db: Database, offer: Offer, now: Date): Promise<number[]> {
  const overridden = offer.caps.affiliateOverrides.map((o) => o.affiliateId);
  if (!hasAnyCap(offer.caps.perAffiliate)) return overridden.slice(0, MAX_AFFILIATES);
  const monthStart = `${now.toISOString().slice(0, 7)}-01T00:00:00Z`;
  const rows = await queryRows<{ affiliate_id: number }>(
    db,
    sql`SELECT affiliate_id FROM offer_access WHERE offer_id = ${offer.id} AND status = 'approved'
        UNION
        SELECT DISTINCT affiliate_id FROM hourly_stats WHERE offer_id = ${offer.id} AND hour >= ${monthStart}::timestamptz
        ORDER BY affiliate_id
        LIMIT ${MAX_AFFILIATES}`,
  );
  return [...new Set([...overridden, ...rows.map((r) => Number(r.affiliate_id))])]
    .sort((a, b) => a - b)
    .slice(0, MAX_AFFILIATES);
}
