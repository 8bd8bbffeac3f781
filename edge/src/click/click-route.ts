import type { ClickEvent } from '@tas/shared/events';
import { substituteMacros } from '@tas/shared/macros';
import { Hono } from 'hono';
import { readAffiliate, readOffer } from '../config/config-store.ts';
import { ApiError } from '../http/api-error.ts';
import { clientInfo } from '../http/client-info.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { clickCookie } from './click-cookie.ts';
import { parseClickParams } from './click-params.ts';
import { decideClick } from './decide-click.ts';

export const clickRoute = new Hono<{ Bindings: Bindings }>();

// Both link forms: /c/{offer}?aff_id=.. and /c/{offer}/{affiliate}.
clickRoute.get('/:offer/:affiliate?', async (c) => {
  const settings = settingsOf(c.env);
  const url = new URL(c.req.url);
  const params = parseClickParams(c.req.param('offer'), c.req.param('affiliate'), url.searchParams);
  if (params.offerId === null) throw new ApiError('unknown_offer', 'No offer has this id.');
  if (params.affiliateId === null) {
    throw params.affiliateIdGiven
      ? new ApiError('unknown_affiliate', 'No affiliate has this id.')
      : new ApiError('invalid_parameter', 'aff_id (or affiliate_id) is required.');
  }

  const [offer, affiliate] = await Promise.all([
    readOffer(c.env.CONFIG, params.offerId),
    readAffiliate(c.env.CONFIG, params.affiliateId),
  ]);
  if (!offer) throw new ApiError('unknown_offer', `Offer ${params.offerId} does not exist or is not live.`);
  if (affiliate?.status !== 'active') {
    throw new ApiError(
      'unknown_affiliate',
      `Affiliate ${params.affiliateId} does not exist or is not active.`,
    );
  }

  const decision = decideClick(offer, affiliate, settings.defaultFallbackUrl);
  const now = new Date();
  const clickId = await settings.clickIds.sign({
    offerId: offer.id,
    affiliateId: affiliate.id,
    clickedAt: now,
  });
  const client = clientInfo(c.req.raw);
  const event: ClickEvent = {
    type: 'click',
    id: clickId,
    occurredAt: now.toISOString(),
    offerId: offer.id,
    affiliateId: affiliate.id,
    sub1: params.sub1,
    sub2: params.sub2,
    sub3: params.sub3,
    sub4: params.sub4,
    sub5: params.sub5,
    sourceId: params.sourceId,
    ip: client.ip,
    userAgent: client.userAgent,
    country: client.country,
    referrer: client.referrer,
    outcome: decision.outcome,
    reason: decision.reason,
    fraudFlags: [],
  };
  // The visitor does not wait for the Queue: the event is sent after the answer.
  c.executionCtx.waitUntil(
    c.env.EVENTS.send(event).catch((error: unknown) => {
      console.error(JSON.stringify({ msg: 'click event not queued', clickId, error: String(error) }));
    }),
  );

  const location = substituteMacros(decision.urlTemplate, {
    click_id: clickId,
    offer_id: offer.id,
    aff_id: affiliate.id,
    sub1: params.sub1,
    sub2: params.sub2,
    sub3: params.sub3,
    sub4: params.sub4,
    sub5: params.sub5,
    source_id: params.sourceId,
    country: client.country,
  });
  const secure = url.protocol === 'https:';
  return new Response(null, {
    status: 302,
    headers: {
      location,
      'cache-control': 'no-store',
      'set-cookie': clickCookie(offer.id, clickId, offer.attributionWindowHours * 3600, secure),
    },
  });
});
