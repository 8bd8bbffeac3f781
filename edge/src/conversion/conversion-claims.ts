import { clickScopedConversionIdFor, conversionIdFor, pixelConversionIdFor } from '@tas/shared/conversion-id';
import type { ConversionEvent } from '@tas/shared/events';
import { dedupeShardName } from '../dedupe/conversion-dedupe.ts';
import type { Bindings } from '../settings.ts';

export type ClaimRequest = {
  offerId: number;
  event: string;
  clickId: string;
  txid: string | null;
  source: ConversionEvent['source'];
  /** A server postback on an offer that demands a secret or an ip allowlist. */
  trusted: boolean;
  now: Date;
};

export type Claim =
  | {
      kind: 'counted';
      conversionId: string;
      /** Untrusted conversions of other clicks this one takes the order from (they are rejected). */
      supersedes: { conversionId: string; clickId: string }[];
      /** Another click claimed the same order untrusted: both are kept, held for review. */
      contested: boolean;
      /** Gives the claims back, when the conversion could not be queued. */
      release: () => Promise<void>;
    }
  | {
      kind: 'duplicate';
      conversionId: string;
      /** False when the order belongs to another click: a status change must not touch it. */
      sameClick: boolean;
    };

/**
 * Decides whether a conversion is new, exactly once however many identical requests arrive
 * (docs/decisions/018-counting-truth.md):
 * - a pixel counts once per click and event, whatever txid the page sends;
 * - a txid claims the order for its click. A retry from the same click is a duplicate; an order
 *   a trusted postback holds is a duplicate for everyone else; a trusted postback takes an order
 *   back from untrusted claims of other clicks; untrusted claims of two clicks are both kept and
 *   held for review. So guessing order ids from one's own clicks neither blocks nor steals the
 *   advertiser's real postback;
 * - a postback without txid has nothing to dedupe on: a new id each time, as before.
 */
export async function claimConversion(env: Bindings, request: ClaimRequest): Promise<Claim> {
  const { offerId, event, clickId, txid, now } = request;
  const nowMs = now.getTime();
  const dedupe = (name: string) => env.DEDUPE.get(env.DEDUPE.idFromName(dedupeShardName(name)));

  let pixelId: string | null = null;
  if (request.source === 'pixel') {
    pixelId = await pixelConversionIdFor({ offerId, event, clickId });
    if (!(await dedupe(pixelId).claim({ conversionId: pixelId, nowMs })).first)
      return { kind: 'duplicate', conversionId: pixelId, sameClick: true };
  }
  const releasePixel = async () => {
    if (pixelId !== null) await dedupe(pixelId).release({ conversionId: pixelId });
  };

  if (txid === null) {
    return {
      kind: 'counted',
      conversionId: pixelId ?? crypto.randomUUID(),
      supersedes: [],
      contested: false,
      release: releasePixel,
    };
  }

  const key = await conversionIdFor({ offerId, event, txid });
  const shard = dedupe(key);
  const claimed = await shard
    .claimTxid({
      key,
      clickId,
      conversionId: pixelId ?? key,
      alternateId: pixelId ?? (await clickScopedConversionIdFor({ offerId, event, txid, clickId })),
      trusted: request.trusted,
      nowMs,
    })
    .catch(async (error: unknown) => {
      await releasePixel();
      throw error;
    });
  if (claimed.outcome === 'duplicate') {
    // The order is another click's: this click's pixel may still count another order.
    if (!claimed.sameClick) await releasePixel();
    return { kind: 'duplicate', conversionId: claimed.conversionId, sameClick: claimed.sameClick };
  }
  return {
    kind: 'counted',
    conversionId: claimed.conversionId,
    supersedes: claimed.outcome === 'takeover' ? claimed.supersedes : [],
    contested: claimed.outcome === 'conflict',
    release: async () => {
      await Promise.all([shard.releaseTxid({ key, clickId }), releasePixel()]);
    },
  };
}
