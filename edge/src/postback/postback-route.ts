import { conversionIdFor } from '@tas/shared/conversion-id';
import { type ConversionEvent, conversionStatusSchema } from '@tas/shared/events';
import { currencySchema, parseDecimalAmount } from '@tas/shared/money';
import { Hono } from 'hono';
import { readOffer } from '../config/config-store.ts';
import { ApiError } from '../http/api-error.ts';
import { clientInfo } from '../http/client-info.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { readPostbackParams } from './postback-params.ts';
import { postbackSecretMatches } from './postback-secret.ts';

export const postbackRoute = new Hono<{ Bindings: Bindings }>();

const CLICK_ID_ERRORS = {
  malformed: 'The click id is malformed.',
  unknown_key: 'The click id was signed with an unknown key.',
  key_retired: 'The click id was signed with a key that has been retired.',
  bad_signature: 'The click id signature does not match.',
  from_future: 'The click id claims a click time in the future.',
} as const;

postbackRoute.on(['GET', 'POST'], '/', async (c) => {
  const settings = settingsOf(c.env);
  const params = await readPostbackParams(c.req.raw);
  if (params.clickId === null)
    throw new ApiError('invalid_click_id', 'click_id (or transaction_id) is required.');
  const now = new Date();
  const verified = await settings.clickIds.verify(params.clickId, now);
  if (!verified.ok) throw new ApiError('invalid_click_id', CLICK_ID_ERRORS[verified.error]);
  const click = verified.click;

  const offer = await readOffer(c.env.CONFIG, click.offerId);
  if (!offer) throw new ApiError('unknown_offer', `Offer ${click.offerId} does not exist or is not live.`);
  if (offer.postbackSecretSha256 !== null) {
    const presented = params.secret ?? c.req.header('x-tas-postback-secret') ?? null;
    if (!(await postbackSecretMatches(presented, offer.postbackSecretSha256))) {
      throw new ApiError('unauthorized', 'This offer requires its postback secret.');
    }
  }

  const event = params.event ?? offer.defaultEvent;
  if (!offer.events.includes(event)) {
    throw new ApiError('unknown_event', `Offer ${offer.id} has no event "${event}".`);
  }
  const ageMs = now.getTime() - click.clickedAt.getTime();
  if (ageMs > offer.attributionWindowHours * 3_600_000) {
    throw new ApiError(
      'attribution_window_expired',
      `The click is older than the offer's ${offer.attributionWindowHours} h attribution window.`,
    );
  }

  const currencyParsed = currencySchema.safeParse(params.currency?.toUpperCase() ?? offer.currency);
  if (!currencyParsed.success) throw new ApiError('invalid_parameter', 'currency must be an ISO 4217 code.');
  const currency = currencyParsed.data;
  let amountMinor: number | null = null;
  if (params.amount !== null) {
    const amount = parseDecimalAmount(params.amount, currency);
    if (!amount.ok)
      throw new ApiError('invalid_amount', `amount "${params.amount}" is not a valid ${currency} amount.`);
    amountMinor = amount.amountMinor;
  }
  const status =
    params.status === null ? null : conversionStatusSchema.safeParse(params.status.toLowerCase());
  if (status && !status.success) {
    throw new ApiError('invalid_parameter', 'status must be pending, approved or rejected.');
  }
  const txid = params.txid === null ? null : params.txid.slice(0, 255);

  const client = clientInfo(c.req.raw);
  const conversion: ConversionEvent = {
    type: 'conversion',
    id: await conversionIdFor({ offerId: offer.id, event, txid }),
    occurredAt: now.toISOString(),
    clickId: params.clickId,
    clickedAt: click.clickedAt.toISOString(),
    offerId: click.offerId,
    affiliateId: click.affiliateId,
    event,
    amountMinor,
    currency: amountMinor === null ? null : currency,
    txid,
    advertiserStatus: status?.success ? status.data : null,
    source: 'postback',
    ip: client.ip,
    userAgent: client.userAgent,
  };
  // Awaited: "accepted" means the event is durably queued, so nothing accepted is lost.
  try {
    await c.env.EVENTS.send(conversion);
  } catch (error) {
    console.error(
      JSON.stringify({ msg: 'conversion not queued', conversionId: conversion.id, error: String(error) }),
    );
    throw new ApiError('service_unavailable', 'The conversion could not be recorded; retry later.');
  }
  return c.json({ status: 'accepted', conversion_id: conversion.id });
});
