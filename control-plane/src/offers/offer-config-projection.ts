import { type OfferConfig, offerConfigSchema } from '@tas/shared/offer-config';
import type { Offer } from '../db/schema/offers.ts';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The slim copy of an offer the edge keeps in KV, or null when the offer must not be live at
 * the edge at all (drafts and archived offers: their links answer 404).
 */
export async function offerConfigFor(
  offer: Offer,
  approvedAffiliateIds: number[],
): Promise<OfferConfig | null> {
  if (offer.status !== 'active' && offer.status !== 'paused') return null;
  // Parsing fills the edge rules this control plane does not manage yet with their defaults.
  return offerConfigSchema.parse({
    id: offer.id,
    status: offer.status,
    destinationUrl: offer.destinationUrl,
    fallbackUrl: offer.fallbackUrl,
    visibility: offer.visibility,
    approvedAffiliateIds,
    defaultEvent: offer.defaultEvent,
    events: offer.events,
    attributionWindowHours: offer.attributionWindowHours,
    currency: offer.currency,
    postbackSecretSha256: offer.postbackSecret ? await sha256Hex(offer.postbackSecret) : null,
    revision: offer.revision,
  });
}
