import { toHex } from './hex.ts';

/**
 * Conversion ids. With a txid the id is derived from (offer, event, txid), so an advertiser's
 * retry of the same postback and a redelivered queue message carry the same id and the ingest
 * stores one row. Without a txid there is nothing to dedupe on; the id is random.
 */
export async function conversionIdFor(input: {
  offerId: number;
  event: string;
  txid: string | null;
}): Promise<string> {
  if (input.txid === null) return crypto.randomUUID();
  return uuidFromKey([input.offerId, input.event, input.txid]);
}

/**
 * Id of a pixel's conversion: one per click and event, whatever txid the page sends, so a
 * reloaded thank-you page or a script firing in a loop counts once.
 */
export function pixelConversionIdFor(input: {
  offerId: number;
  event: string;
  clickId: string;
}): Promise<string> {
  return uuidFromKey(['pixel', input.offerId, input.event, input.clickId]);
}

/**
 * Id of a conversion whose txid another click claimed first (a postback taking an order back from
 * a pixel, or a contested txid held for review): the same for every retry of the same request.
 */
export function clickScopedConversionIdFor(input: {
  offerId: number;
  event: string;
  txid: string;
  clickId: string;
}): Promise<string> {
  return uuidFromKey(['click', input.offerId, input.event, input.txid, input.clickId]);
}

/**
 * Id of an advertiser's status change for a counted conversion: from the conversion, the status,
 * the click that asked and when (to the millisecond), so a later change back to an earlier status
 * (approved, charged back, approved again) is a change of its own, and a change asked for by
 * another click never shares an id with the advertiser's.
 */
export function statusUpdateIdFor(input: {
  conversionId: string;
  status: string;
  clickId: string;
  occurredAt: string;
}): Promise<string> {
  return uuidFromKey(['status', input.conversionId, input.status, input.clickId, input.occurredAt]);
}

/**
 * Id of what a conversion does to another claim of its order (a trusted postback rejecting an
 * untrusted claim, a contested order holding an earlier claim for review): the same on every
 * redelivery, so it is stored and applied once.
 */
export function claimChangeIdFor(
  change: 'supersede' | 'hold',
  otherId: string,
  byId: string,
): Promise<string> {
  return uuidFromKey([change, otherId, byId]);
}

async function uuidFromKey(key: unknown[]): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(key))),
  ).subarray(0, 16);
  // RFC 9562 version 8 (custom) with the RFC variant bits, so it is a valid UUID for Postgres and zod.
  digest[6] = (digest[6]! & 0x0f) | 0x80;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = toHex(digest);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
