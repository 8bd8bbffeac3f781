import { canonicalMacro, type MacroValues } from '@tas/shared/macros';

/** The macros an outgoing postback fills (tracking contract, section 5), in the helper's order. */
export const POSTBACK_MACROS = [
  { name: 'click_id', detail: 'The click id (alias {transaction_id})' },
  { name: 'transaction_id', detail: 'Same as {click_id}, as TUNE and Everflow name it' },
  { name: 'conversion_id', detail: 'Our conversion id: dedupe on it with {status}' },
  { name: 'txid', detail: "The advertiser's order id" },
  { name: 'status', detail: 'approved, pending or rejected' },
  { name: 'event', detail: 'The event, e.g. conversion or lead' },
  { name: 'payout', detail: 'Your payout, e.g. 12.50' },
  { name: 'currency', detail: 'Currency of the payout, e.g. USD' },
  { name: 'offer_id', detail: 'The offer id' },
  { name: 'aff_id', detail: 'Your affiliate id' },
  { name: 'sub1', detail: 'Sub id 1 of your link' },
  { name: 'sub2', detail: 'Sub id 2' },
  { name: 'sub3', detail: 'Sub id 3' },
  { name: 'sub4', detail: 'Sub id 4' },
  { name: 'sub5', detail: 'Sub id 5' },
  { name: 'source_id', detail: 'The source id of your link' },
  { name: 'country', detail: 'Country of the click, e.g. US' },
  { name: 'ip', detail: 'IP address of the click' },
  { name: 'timestamp', detail: 'Unix time of the conversion' },
] as const;

/** Sample values, the same the control plane's test fires with (postbacks/test-fire.ts). */
export function sampleMacros(affiliateId: number | null, offerId: number | null): MacroValues {
  return {
    click_id: 'TEST-CLICK-ID',
    offer_id: offerId ?? 0,
    aff_id: affiliateId ?? 0,
    sub1: 'test-sub1',
    sub2: 'test-sub2',
    sub3: 'test-sub3',
    sub4: 'test-sub4',
    sub5: 'test-sub5',
    source_id: 'test-source',
    event: 'conversion',
    payout: '1.00',
    currency: 'USD',
    txid: 'TEST-TXID',
    conversion_id: '00000000-0000-4000-8000-000000000000',
    status: 'approved',
    country: 'US',
    ip: '203.0.113.1',
    timestamp: 1_795_000_000,
  };
}

/** `{names}` in a template that are not macros of ours (they are sent as written). */
export function unknownMacros(template: string): string[] {
  const names = [...template.matchAll(/\{([a-z0-9_]{1,32})\}/g)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((name) => canonicalMacro(name) === null))];
}

export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'disabled', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** The states a delivery may be replayed from; "failures" lists them together. */
export const FAILURE_STATES = ['failed', 'disabled', 'cancelled'] as const satisfies readonly DeliveryState[];

export const STATE_TEXT: Record<DeliveryState, string> = {
  pending: 'Queued or retrying',
  delivered: 'Delivered',
  failed: 'Given up after the last retry',
  disabled: 'Parked while its postback was off',
  cancelled: 'Not sent: the conversion changed status',
};

export const CANCEL_REASON_TEXT: Record<string, string> = {
  conversion_rejected: 'the conversion was rejected since',
  conversion_pending: 'the conversion went back to pending',
  conversion_approved: 'the conversion was approved since',
};

export const ATTEMPT_KIND_TEXT: Record<string, string> = {
  delivery: 'Delivery',
  test: 'Test',
  replay: 'Replay',
  cancelled: 'Cancelled',
};
