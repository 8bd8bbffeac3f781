import { SELF } from 'cloudflare:test';
import type { AffiliateConfig } from '@tas/shared/affiliate-config';
import { NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import type { ClickEvent } from '@tas/shared/events';
import { type OfferConfig, type OfferConfigInput, offerConfigSchema } from '@tas/shared/offer-config';
import { signBody } from '@tas/shared/signature';
import { TEST_SECRETS } from './test-secrets.ts';

export const EDGE = 'https://edge.test';

export function offerConfig(overrides: Partial<OfferConfigInput> = {}): OfferConfig {
  return offerConfigSchema.parse({
    id: 10,
    status: 'active',
    destinationUrl:
      'https://adv.test/land?cid={click_id}&o={offer_id}&a={aff_id}&s1={sub1}&s2={sub2}&src={source_id}',
    fallbackUrl: 'https://fallback.test/',
    visibility: 'public',
    approvedAffiliateIds: [],
    defaultEvent: 'conversion',
    events: ['conversion', 'lead'],
    attributionWindowHours: 720,
    currency: 'USD',
    postbackSecretSha256: null,
    revision: 1,
    ...overrides,
  });
}

export function affiliateConfig(overrides: Partial<AffiliateConfig> = {}): AffiliateConfig {
  return { id: 7, status: 'active', revision: 1, ...overrides };
}

/** A POST to an internal endpoint, signed the way the control plane signs it. */
export async function signedPost(path: string, body: unknown, secret = TEST_SECRETS.CONFIG_SIGNING_SECRET) {
  const text = JSON.stringify(body);
  return SELF.fetch(`${EDGE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tas-signature': await signBody(secret, path, text) },
    body: text,
  });
}

/** Publishes configuration the way the control plane does: a signed POST to /internal/config. */
export async function publish(body: unknown, secret = TEST_SECRETS.CONFIG_SIGNING_SECRET): Promise<Response> {
  return signedPost('/internal/config', body, secret);
}

export async function publishOfferAndAffiliate(offer = offerConfig(), affiliate = affiliateConfig()) {
  const response = await publish({ upsert: { offers: [offer], affiliates: [affiliate] } });
  if (response.status !== 200) throw new Error(`publish failed: ${response.status} ${await response.text()}`);
}

export function click(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(`${EDGE}${path}`, { redirect: 'manual', ...init });
}

export type ErrorBody = { error: { code: string; message: string; requestId: string } };

/** A valid click event with a recognisable id (`{prefix x 40}{n as 4 digits}`), for queue tests. */
export function clickEventFixture(n: number, prefix = 'A'): ClickEvent {
  return {
    type: 'click',
    id: `${prefix.repeat(40)}${String(n).padStart(4, '0')}`,
    occurredAt: '2026-11-01T00:00:00.000Z',
    offerId: 1,
    affiliateId: 1,
    sub1: null,
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    sourceId: null,
    creativeId: null,
    landingPageId: null,
    ip: null,
    userAgent: null,
    country: 'DE',
    device: 'desktop',
    os: 'linux',
    referrer: null,
    gclid: null,
    fbclid: null,
    msclkid: null,
    ttclid: null,
    gbraid: null,
    wbraid: null,
    ...NO_CONSENT_SIGNALS,
    outcome: 'redirect',
    reason: null,
    fraudFlags: [],
    unique: true,
    source: 'redirect',
    capCounterUnavailable: false,
    fraudCounterUnavailable: false,
  };
}
