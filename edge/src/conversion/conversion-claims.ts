import { clickScopedConversionIdFor, conversionIdFor, pixelConversionIdFor } from '@tas/shared/conversion-id';
import type { ConversionEvent } from '@tas/shared/events';
import { type ClaimOutcome, type ClaimRef, dedupeShardName } from '../dedupe/conversion-dedupe.ts';
import { ApiError } from '../http/api-error.ts';
import type { Bindings } from '../settings.ts';

const IN_PROGRESS_POLL_MS = 50;
const IN_PROGRESS_WAIT_MS = 2000;

export type ClaimRequest = {
  offerId: number;
  event: string;
  clickId: string;
  txid: string | null;
  source: ConversionEvent['source'];
  /** A server postback on an offer that demands a secret or an ip allowlist. */
  trusted: boolean;
  /** Whether the conversion can earn: claims that cannot hold no order back from others. */
  payable: boolean;
  /** Only ask whether it is counted already (the click's window has passed: nothing new counts). */
  probe: boolean;
  now: Date;
};

export type Claim =
  | {
      kind: 'counted';
      conversionId: string;
      /** Untrusted conversions of other clicks this one takes the order from (they are rejected). */
      supersedes: ClaimRef[];
      /** Untrusted conversions of other clicks claiming the same order: held for review too. */
      holds: ClaimRef[];
      /** Another click claimed the same order untrusted: this one is held for review. */
      contested: boolean;
      /** The conversion is queued: the claims are final. */
      confirm: () => Promise<void>;
      /** It could not be queued: a retry may take the claims at once. */
      release: () => Promise<void>;
    }
  | {
      kind: 'duplicate';
      conversionId: string;
      /** False when the order belongs to another click: a status change must not touch it. */
      sameClick: boolean;
    }
  /** Probe only: nothing is counted for this click and order. */
  | { kind: 'absent' };

/**
 * Decides whether a conversion is new, exactly once however many identical requests arrive
 * (docs/decisions/018-counting-truth.md):
 * - a pixel counts once per click and event, whatever txid the page sends;
 * - a txid claims the order for its click. A retry from the same click is a duplicate; an order
 *   a trusted postback holds is a duplicate for everyone else; a trusted postback takes an order
 *   back from untrusted claims (its own click's pixel included); untrusted claims of two clicks
 *   are both kept and held for review. So guessing order ids from one's own clicks neither
 *   blocks nor steals the advertiser's real postback;
 * - a postback without txid has nothing to dedupe on: a new id each time, as before.
 * Claims are leased until confirmed: a retry while another request records the same conversion
 * gets a 503 to try again, never a "duplicate" of something that may not get recorded.
 */
export async function claimConversion(env: Bindings, request: ClaimRequest): Promise<Claim> {
  const { offerId, event, clickId, txid, now, probe } = request;
  const nowMs = now.getTime();
  const dedupe = (name: string) => env.DEDUPE.get(env.DEDUPE.idFromName(dedupeShardName(name)));
  // Another request recording the same conversion usually confirms within milliseconds: wait for
  // it a little, so that identical requests at once still hear "duplicate", not "try again".
  const call = async (rpc: () => Promise<ClaimOutcome>) => {
    for (let waited = 0; ; waited += IN_PROGRESS_POLL_MS) {
      let outcome: ClaimOutcome;
      try {
        outcome = await rpc();
      } catch (error) {
        console.error(JSON.stringify({ msg: 'conversion dedupe unavailable', error: String(error) }));
        throw new ApiError(
          'service_unavailable',
          'The conversion could not be checked right now; retry later.',
        );
      }
      if (outcome.outcome !== 'in_progress' || waited >= IN_PROGRESS_WAIT_MS) return outcome;
      await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_POLL_MS));
    }
  };
  const noop = async () => {};

  let pixel: { id: string; confirm: () => Promise<void>; release: () => Promise<void> } | null = null;
  if (request.source === 'pixel') {
    const id = await pixelConversionIdFor({ offerId, event, clickId });
    const shard = dedupe(id);
    const claimed = await call(() => shard.claim({ conversionId: id, nowMs, probe }));
    if (claimed.outcome !== 'counted') return settled(claimed);
    pixel = {
      id,
      confirm: () => shard.confirm({ conversionId: id }),
      release: () => shard.release({ conversionId: id }),
    };
  }
  const releasePixel = pixel?.release ?? noop;

  if (txid === null) {
    return {
      kind: 'counted',
      conversionId: pixel?.id ?? crypto.randomUUID(),
      supersedes: [],
      holds: [],
      contested: false,
      confirm: pixel?.confirm ?? noop,
      release: releasePixel,
    };
  }

  const key = await conversionIdFor({ offerId, event, txid });
  const shard = dedupe(key);
  const claimed = await call(async () =>
    shard.claimTxid({
      key,
      clickId,
      conversionId: pixel?.id ?? key,
      alternateId: pixel?.id ?? (await clickScopedConversionIdFor({ offerId, event, txid, clickId })),
      trusted: request.trusted,
      payable: request.payable,
      probe,
      nowMs,
    }),
  ).catch(async (error: unknown) => {
    await releasePixel().catch(() => {});
    throw error;
  });
  if (claimed.outcome !== 'counted') {
    // The order is not this click's to count now: its pixel may still count another order.
    if (!(claimed.outcome === 'duplicate' && claimed.sameClick)) await releasePixel().catch(() => {});
    return settled(claimed);
  }
  return {
    kind: 'counted',
    conversionId: claimed.conversionId,
    supersedes: claimed.supersedes,
    holds: claimed.holds,
    contested: claimed.contested,
    confirm: async () => {
      await Promise.all([shard.confirmTxid({ key, clickId }), pixel?.confirm()]);
    },
    release: async () => {
      await Promise.all([shard.releaseTxid({ key, clickId }), releasePixel()]);
    },
  };
}

function settled(outcome: Exclude<ClaimOutcome, { outcome: 'counted' }>): Claim {
  if (outcome.outcome === 'in_progress') {
    throw new ApiError(
      'conversion_in_progress',
      'This conversion is being recorded by another request right now; retry in a few seconds.',
    );
  }
  if (outcome.outcome === 'absent') return { kind: 'absent' };
  return { kind: 'duplicate', conversionId: outcome.conversionId, sameClick: outcome.sameClick };
}
