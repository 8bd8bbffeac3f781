import type { OfferConfig } from '@tas/shared/offer-config';

/**
 * A deep link (`url=` on the tracking link) is followed only when the offer allows deep links and
 * its host is on the offer's allowlist (`*.example.com` covers subdomains). Anything else is
 * ignored, never followed: the edge must not become an open redirect.
 */
export function allowedDeepLink(offer: OfferConfig, candidate: string | null): string | null {
  if (!candidate || !offer.deepLinks.allowed || candidate.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const allowed = offer.deepLinks.hosts.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern,
  );
  return allowed ? url.toString() : null;
}
