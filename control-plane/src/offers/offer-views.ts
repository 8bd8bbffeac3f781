import { acceptedConversionSources } from '@tas/shared/offer-config';
import { and, asc, eq, exists, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { type Offer, offerAccess, offerLandingPages, offers } from '../db/schema/offers.ts';
import { keysetPage, oneOrNotFound } from '../db/scoped-rows.ts';
import { ApiError } from '../http/api-error.ts';
import type { AffiliateOfferResponse, OfferResponse } from './offer-schemas.ts';
import { currentOverrides } from './payout-rules.ts';

/**
 * Which offers a principal may see: admins all, advertisers their own, affiliates the live
 * offers that are public or approval-required (to apply) or private and approved for them.
 */
export function offerScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'advertiser') return eq(offers.advertiserId, principal.advertiserId ?? -1);
  const affiliateId = principal.affiliateId ?? -1;
  return and(
    inArray(offers.status, ['active', 'paused']),
    or(
      ne(offers.visibility, 'private'),
      exists(
        sql`(SELECT 1 FROM ${offerAccess} WHERE ${offerAccess.offerId} = ${offers.id}
             AND ${offerAccess.affiliateId} = ${affiliateId} AND ${offerAccess.status} = 'approved')`,
      ),
    ),
  );
}

/** The offer if the principal may see it; otherwise not_found (existence is not revealed). */
export async function visibleOffer(db: Database, principal: Principal, offerId: number): Promise<Offer> {
  return oneOrNotFound(
    db
      .select()
      .from(offers)
      .where(and(eq(offers.id, offerId), offerScope(principal))),
    `Offer ${offerId}`,
  );
}

/** The offer if the principal may change it (admins, its advertiser). */
export async function manageableOffer(db: Database, principal: Principal, offerId: number): Promise<Offer> {
  const offer = await visibleOffer(db, principal, offerId);
  if (principal.role === 'affiliate') throw new ApiError('forbidden', 'Affiliates cannot change offers.');
  return offer;
}

export type OfferListQuery = {
  status?: Offer['status'] | undefined;
  advertiserId?: number | undefined;
  limit: number;
  after?: number | undefined;
};

export function listVisibleOffers(db: Database, principal: Principal, query: OfferListQuery) {
  return keysetPage(
    db.select().from(offers).$dynamic(),
    offers.id,
    query,
    offerScope(principal),
    query.status ? eq(offers.status, query.status) : undefined,
    query.advertiserId ? eq(offers.advertiserId, query.advertiserId) : undefined,
  );
}

export async function offerResponse(db: Database, offer: Offer): Promise<OfferResponse> {
  const pages = await db
    .select()
    .from(offerLandingPages)
    .where(and(eq(offerLandingPages.offerId, offer.id), eq(offerLandingPages.isActive, true)))
    .orderBy(asc(offerLandingPages.id));
  const { postbackSecret, createdAt, updatedAt, ...rest } = offer;
  return {
    ...rest,
    hasPostbackSecret: postbackSecret !== null,
    acceptedConversionSources: acceptedConversionSources({
      conversionSources: offer.conversionSources,
      postbackSecretSha256: postbackSecret,
      postbackIpAllowlist: offer.postbackIpAllowlist,
    }),
    landingPages: pages.map(({ id, name, url, weight }) => ({ id, name, url, weight })),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** The affiliate's view: its payout (override included), its access, its tracking link. */
export async function affiliateOfferResponse(
  db: Database,
  offer: Offer,
  affiliateId: number,
  edgeUrl: string,
): Promise<AffiliateOfferResponse> {
  const [access] = await db
    .select({ status: offerAccess.status })
    .from(offerAccess)
    .where(and(eq(offerAccess.offerId, offer.id), eq(offerAccess.affiliateId, affiliateId)));
  const override = (await currentOverrides(db, offer.id)).find((o) => o.affiliateId === affiliateId);
  const standing =
    access?.status === 'approved'
      ? 'approved'
      : offer.visibility === 'public'
        ? 'open'
        : (access?.status ?? 'not_applied');
  const mayRun = standing === 'open' || standing === 'approved';
  return {
    id: offer.id,
    name: offer.name,
    description: offer.description,
    payoutType: offer.payoutType,
    payoutMinor: override?.payoutMinor ?? offer.payoutMinor,
    payoutBps: override?.payoutBps ?? offer.payoutBps,
    currency: offer.currency,
    status: offer.status,
    visibility: offer.visibility,
    previewUrl: offer.previewUrl,
    events: offer.events,
    attributionWindowHours: offer.attributionWindowHours,
    targeting: offer.targeting,
    deepLinksAllowed: offer.deepLinks.allowed,
    deepLinkHosts: offer.deepLinks.allowed ? offer.deepLinks.hosts : [],
    access: standing,
    trackingLink: mayRun ? `${edgeUrl.replace(/\/+$/, '')}/c/${offer.id}?aff_id=${affiliateId}` : null,
  };
}
