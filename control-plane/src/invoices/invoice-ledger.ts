import type { AccountKey } from '../ledger/ledger-accounts.ts';
import { advertiserAccount } from '../ledger/ledger-accounts.ts';
import type { TransferInput } from '../ledger/post-transfer.ts';

/** The one ledger transfer of a paid invoice: its key, from TAS's invoice id. */
export const invoicePaymentKey = (invoiceId: string) => `invoice:${invoiceId}`;

/** Stripe's cash account: what Stripe holds for the network. */
const stripeCash = (currency: string): AccountKey => ({
  kind: 'processor_cash',
  ownerId: 'stripe',
  currency,
});

/**
 * A paid invoice's money: Stripe now holds it for the network (debit Stripe's cash) and the
 * advertiser owes that much less (credit its account), as a top-up does (decision 025).
 */
export function invoicePaymentTransfer(
  invoice: { id: string; advertiserId: number; currency: string },
  amountMinor: number,
  memo: string,
): TransferInput {
  return {
    idempotencyKey: invoicePaymentKey(invoice.id),
    kind: 'invoice',
    memo,
    entries: [
      { account: stripeCash(invoice.currency), layer: 'posted', amountMinor },
      {
        account: advertiserAccount(invoice.advertiserId, invoice.currency),
        layer: 'posted',
        amountMinor: -amountMinor,
      },
    ],
  };
}
