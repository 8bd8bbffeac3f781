import type { Context } from 'hono';
import { Hono } from 'hono';
import { configStore } from '../config/config-store.ts';
import { ApiError } from '../http/api-error.ts';
import { clientInfo } from '../http/client-info.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { deviceInfo } from '../visitor/device.ts';
import { clickCookie } from './click-cookie.ts';
import { parseClickParams } from './click-params.ts';
import { previewLocation } from './preview-location.ts';
import { type ClickTarget, trackClick } from './track-click.ts';

type Env = { Bindings: Bindings };

/**
 * Loads what a click needs and turns unknown offers and affiliates into 404s (an ad tag too,
 * ad/ad-route.ts, so that it answers what its click would).
 */
export async function loadClick(c: Context<Env>, offerSegment: string, affiliateSegment: string | undefined) {
  const settings = settingsOf(c.env);
  const params = parseClickParams(offerSegment, affiliateSegment, c.req.query());
  if (params.offerId === null) throw new ApiError('unknown_offer', 'No offer has this id.');
  if (params.affiliateId === null) {
    throw params.affiliateIdGiven
      ? new ApiError('unknown_affiliate', 'No affiliate has this id.')
      : new ApiError('invalid_parameter', 'aff_id (or affiliate_id) is required.');
  }
  const config = configStore(c.env.CONFIG, settings.configCacheTtlMs);
  let offer = config.offer(params.offerId);
  let affiliate = config.affiliate(params.affiliateId);
  let network = config.network();
  // Cache hits are plain values; only misses are awaited (together).
  if (offer instanceof Promise || affiliate instanceof Promise || network instanceof Promise) {
    [offer, affiliate, network] = await Promise.all([offer, affiliate, network]);
  }
  if (!offer) throw new ApiError('unknown_offer', `Offer ${params.offerId} does not exist or is not live.`);
  if (affiliate?.status !== 'active') {
    throw new ApiError(
      'unknown_affiliate',
      `Affiliate ${params.affiliateId} does not exist or is not active.`,
    );
  }
  const client = clientInfo(c.req.raw);
  const target: ClickTarget = {
    offer,
    affiliate,
    network,
    params,
    client,
    device: deviceInfo(client.userAgent),
  };
  const track = (source: 'redirect' | 'script') =>
    trackClick({ env: c.env, settings, waitUntil: (p) => c.executionCtx.waitUntil(p) }, target, source);
  return { ...target, track };
}

/** Both link forms: /c/{offer}?aff_id=.. and /c/{offer}/{affiliate}. */
export const clickRoute = new Hono<Env>();

clickRoute.get('/:offer/:affiliate?', async (c) => {
  const target = await loadClick(c, c.req.param('offer'), c.req.param('affiliate'));
  // A HEAD request is a preview of where the link goes, not a visit: nothing is counted, signed
  // or queued, and a paused or private offer shows its fallback, never its destination.
  if (c.req.method === 'HEAD') {
    return new Response(null, {
      status: 302,
      headers: {
        location: previewLocation(target, settingsOf(c.env).defaultFallbackUrl),
        'cache-control': 'no-store',
      },
    });
  }
  const tracked = await target.track('redirect');
  const headers = new Headers({ location: tracked.location, 'cache-control': 'no-store' });
  if (tracked.storable) {
    headers.set(
      'set-cookie',
      clickCookie(
        target.offer.id,
        tracked.clickId,
        target.offer.attributionWindowHours * 3600,
        c.req.url.startsWith('https:'),
      ),
    );
  }
  return new Response(null, { status: 302, headers });
});

/**
 * `GET /r/{offer}?aff_id=..`: registers a click without redirecting, for /t.js on a page the
 * visitor reached directly (redirectless tracking). Answers the click id as JSON; CORS-open,
 * since advertisers' pages on any domain call it.
 */
export const registerRoute = new Hono<Env>();

registerRoute.get('/:offer', async (c) => {
  c.header('access-control-allow-origin', '*');
  c.header('cache-control', 'no-store');
  const { offer, device, track } = await loadClick(c, c.req.param('offer'), undefined);
  const tracked = await track('script');
  return c.json({
    click_id: tracked.clickId,
    // A bot's click is recorded (and flagged) but is not a clean click.
    counted: !device.bot,
    outcome: tracked.event.outcome,
    attribution_window_hours: offer.attributionWindowHours,
    // False when the offer requires consent for storage and the visit has none: /t.js keeps nothing.
    store: tracked.storable,
  });
});
