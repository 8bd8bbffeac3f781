import { createClickIdCodec } from '@tas/shared/click-id';
import { NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import type { ClickEvent, ConversionEvent } from '@tas/shared/events';
import { signBody } from '@tas/shared/signature';

export const INGEST_SECRET = 'ingest-secret-for-tests-0123456789abcdef';
const codec = createClickIdCodec([{ id: 1, secret: 'click-secret-for-tests-0123456789abcdef' }]);

export async function clickEvent(overrides: Partial<ClickEvent> = {}): Promise<ClickEvent> {
  const offerId = overrides.offerId ?? 1;
  const affiliateId = overrides.affiliateId ?? 1;
  const occurredAt = overrides.occurredAt ?? '2026-11-20T10:00:00.000Z';
  return {
    type: 'click',
    id: await codec.sign({ offerId, affiliateId, clickedAt: new Date(occurredAt) }),
    occurredAt,
    offerId,
    affiliateId,
    sub1: 's1',
    sub2: null,
    sub3: null,
    sub4: null,
    sub5: null,
    sourceId: null,
    creativeId: null,
    landingPageId: null,
    ip: '203.0.113.5',
    userAgent: 'Mozilla/5.0',
    country: 'DE',
    device: 'mobile',
    os: 'android',
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
    ...overrides,
  };
}

export function conversionEvent(
  click: ClickEvent,
  overrides: Partial<ConversionEvent> = {},
): ConversionEvent {
  return {
    type: 'conversion',
    id: crypto.randomUUID(),
    occurredAt: '2026-11-20T11:00:00.000Z',
    clickId: click.id,
    clickedAt: click.occurredAt,
    offerId: click.offerId,
    affiliateId: click.affiliateId,
    event: 'conversion',
    amountMinor: 5000,
    currency: 'USD',
    sentAmountMinor: null,
    sentCurrency: null,
    exchangeRate: null,
    txid: `T-${crypto.randomUUID()}`,
    advertiserStatus: null,
    source: 'postback',
    fraudFlags: [],
    reason: null,
    supersedes: [],
    holds: [],
    ip: null,
    userAgent: null,
    customerHashes: null,
    ...NO_CONSENT_SIGNALS,
    ...overrides,
  };
}

/** A request to /internal/ingest signed as the edge's consumer signs it. */
export async function signedIngest(body: unknown, secret = INGEST_SECRET): Promise<RequestInit> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tas-signature': await signBody(secret, '/internal/ingest', text),
    },
    body: text,
  };
}
