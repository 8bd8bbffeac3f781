import { creativeSizeSchema } from '@tas/shared/offer-config';
import { Hono } from 'hono';
import { loadClick } from '../click/click-route.ts';
import { decideByConfiguration } from '../click/decide-click.ts';
import { ApiError } from '../http/api-error.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { adContentSecurityPolicy, adDocument } from './ad-document.ts';
import { pickCreative } from './pick-creative.ts';

type Env = { Bindings: Bindings };

/** The query parameters an ad tag passes on to the click, under their canonical names. */
const PASSED_ON = [
  ['sub1', 'sub1'],
  ['sub2', 'sub2'],
  ['sub3', 'sub3'],
  ['sub4', 'sub4'],
  ['sub5', 'sub5'],
  ['sourceId', 'source_id'],
] as const;

/**
 * `GET /ad/{offer}?aff_id=..&size=300x250[&sub1..sub5&source_id]` (docs/ad-tags.md): a small HTML
 * document for the publisher's iframe showing one of the offer's creatives of that size, picked
 * by weight, inside the tracked link `/c/{offer}?aff_id=..&creative_id=..`. Nothing is recorded
 * here: the click is. An unknown offer or affiliate answers as a click would (404); an offer
 * the affiliate may not run, or a paused one, answers the click's fallback redirect, so an ad
 * tag shows no more of an offer than its link would.
 */
export const adRoute = new Hono<Env>();

adRoute.get('/:offer', async (c) => {
  const target = await loadClick(c, c.req.param('offer'), undefined);
  const { offer, affiliate, params, client, device } = target;
  const now = new Date();
  const decision = decideByConfiguration(offer, affiliate, { country: client.country, ...device }, null, now);
  if (decision.outcome === 'fallback') {
    const fallbackUrl = offer.fallbackUrl ?? settingsOf(c.env).defaultFallbackUrl;
    // No click happened, so there is no click id: macros are emptied, as for a link preview.
    return new Response(null, {
      status: 302,
      headers: { location: fallbackUrl.replace(/\{[a-z0-9_]+\}/g, ''), 'cache-control': 'no-store' },
    });
  }
  const size = creativeSizeSchema.safeParse(c.req.query('size') ?? '');
  if (!size.success)
    throw new ApiError('invalid_parameter', 'size is required, as WIDTHxHEIGHT (e.g. 300x250).');
  const creative = pickCreative(offer, size.data, now);
  if (!creative) {
    throw new ApiError('unknown_size', `Offer ${offer.id} has no creative of size ${size.data} to show.`);
  }
  const click = new URL(`/c/${offer.id}`, c.req.url);
  click.searchParams.set('aff_id', String(affiliate.id));
  click.searchParams.set('creative_id', String(creative.id));
  for (const [key, name] of PASSED_ON) {
    const value = params[key];
    if (value !== null) click.searchParams.set(name, value);
  }
  return new Response(adDocument(creative, click.toString()), {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // Each view picks again: a cached ad would freeze the rotation.
      'cache-control': 'no-store',
      'content-security-policy': adContentSecurityPolicy(creative),
      'x-content-type-options': 'nosniff',
      // The creative's host learns nothing of the affiliate's subs from the frame's address.
      'referrer-policy': 'no-referrer',
    },
  });
});
