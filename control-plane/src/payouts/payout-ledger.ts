import type { AccountKey } from '../ledger/ledger-accounts.ts';
import { affiliatePayableAccount } from '../ledger/ledger-accounts.ts';
import type { TransferInput } from '../ledger/post-transfer.ts';
import type { PayoutMethod } from './eligibility.ts';

/** Whose cash pays a method's payouts: the processor's name is the account's owner. */
export const processorOf = (method: PayoutMethod) =>
  method === 'stripe_connect' ? 'stripe' : method === 'paypal' ? 'paypal' : 'bank';

const inTransit = (method: PayoutMethod, currency: string): AccountKey => ({
  kind: 'payouts_in_transit',
  ownerId: processorOf(method),
  currency,
});
const processorCash = (method: PayoutMethod, currency: string): AccountKey => ({
  kind: 'processor_cash',
  ownerId: processorOf(method),
  currency,
});

export type PayoutFigures = {
  id: string;
  affiliateId: number;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
};

/** The steps of a payout in the ledger, each under its own key derived from the payout's id. */
export type PayoutStep = 'sent' | 'paid' | 'failed' | 'reversed';

/**
 * A payout's ledger transfer for a step (decision 021, Payouts): `sent` moves the amount from the
 * affiliate's payable to payouts_in_transit; `paid` from in transit to the processor's cash;
 * `failed` back from in transit to the payable; `reversed` (taken back after it was paid) from
 * the processor's cash back to the payable. Debit positive, credit negative.
 */
export function payoutTransfer(
  p: PayoutFigures,
  step: PayoutStep,
  memo: string | null = null,
): TransferInput {
  const payable = affiliatePayableAccount(p.affiliateId, p.currency);
  const transit = inTransit(p.method, p.currency);
  const cash = processorCash(p.method, p.currency);
  const [debit, credit, kind, key] = (
    {
      sent: [payable, transit, 'payout', `payout:${p.id}`],
      paid: [transit, cash, 'payout_settled', `payout:${p.id}:paid`],
      failed: [transit, payable, 'payout_failed', `payout:${p.id}:failed`],
      reversed: [cash, payable, 'payout_failed', `payout:${p.id}:reversed`],
    } as const
  )[step];
  return {
    idempotencyKey: key,
    kind,
    payoutId: p.id,
    memo,
    entries: [
      { account: debit, layer: 'posted', amountMinor: p.amountMinor },
      { account: credit, layer: 'posted', amountMinor: -p.amountMinor },
    ],
  };
}
