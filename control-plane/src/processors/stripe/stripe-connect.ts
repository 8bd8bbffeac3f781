import type Stripe from 'stripe';
import { failed, type ProcessorResult } from '../processor-result.ts';
import { callStripe } from './stripe-errors.ts';
import { listAll } from './stripe-lists.ts';

export type ConnectedAccount = {
  id: string;
  /** Stripe pays out to the affiliate's bank: the one flag that says a transfer can reach them. */
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  /** Status of the `transfers` capability: active, inactive or pending. */
  transfers: string;
  /** What Stripe still needs from the affiliate before it pays out. */
  currentlyDue: string[];
};

const accountOf = (account: Stripe.Account): ConnectedAccount => ({
  id: account.id,
  payoutsEnabled: account.payouts_enabled ?? false,
  detailsSubmitted: account.details_submitted ?? false,
  transfers: account.capabilities?.transfers ?? 'inactive',
  currentlyDue: account.requirements?.currently_due ?? [],
});

/**
 * An Express connected account for an affiliate, asking for the transfers capability. Keyed by
 * the affiliate, so a repeated call (a double click, a retry) does not open a second account.
 */
export function createExpressAccount(
  stripe: Stripe,
  request: { affiliateId: number; email?: string | undefined; country?: string | undefined },
): Promise<ProcessorResult<ConnectedAccount>> {
  return callStripe(async () =>
    accountOf(
      await stripe.accounts.create(
        {
          type: 'express',
          ...(request.email ? { email: request.email } : {}),
          ...(request.country ? { country: request.country } : {}),
          capabilities: { transfers: { requested: true } },
          metadata: { affiliate_id: String(request.affiliateId) },
        },
        { idempotencyKey: `affiliate_${request.affiliateId}_connect_account` },
      ),
    ),
  );
}

/** A one-time link to Stripe's onboarding for the account; it expires in minutes, make one per visit. */
export function createOnboardingLink(
  stripe: Stripe,
  request: { accountId: string; refreshUrl: string; returnUrl: string },
): Promise<ProcessorResult<{ url: string; expiresAt: Date }>> {
  return callStripe(async () => {
    const link = await stripe.accountLinks.create({
      account: request.accountId,
      refresh_url: request.refreshUrl,
      return_url: request.returnUrl,
      type: 'account_onboarding',
    });
    return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
  });
}

export function readConnectedAccount(
  stripe: Stripe,
  accountId: string,
): Promise<ProcessorResult<ConnectedAccount>> {
  return callStripe(async () => accountOf(await stripe.accounts.retrieve(accountId)));
}

export type ConnectTransfer = {
  id: string;
  accountId: string;
  amountMinor: number;
  amountReversedMinor: number;
  currency: string;
  reversed: boolean;
};

const transferOf = (transfer: Stripe.Transfer): ConnectTransfer => ({
  id: transfer.id,
  accountId:
    typeof transfer.destination === 'string' ? transfer.destination : (transfer.destination?.id ?? ''),
  amountMinor: transfer.amount,
  amountReversedMinor: transfer.amount_reversed,
  currency: transfer.currency.toUpperCase(),
  reversed: transfer.reversed,
});

export type TransferRequest = {
  accountId: string;
  amountMinor: number;
  currency: string;
  /**
   * The payout's key in TAS (decision 021: the same key the ledger posted the payout with). Stripe
   * answers a repeated key with the first transfer, so a run resumed after a crash or a timeout
   * never pays twice.
   */
  idempotencyKey: string;
  /** Groups the transfers of one payout run. */
  transferGroup?: string | undefined;
  metadata?: Record<string, string>;
};

/**
 * Moves money from the platform's balance to an affiliate's connected account. Refused as
 * `account_not_ready` before anything moves when the account cannot be paid out yet.
 */
export async function transferToConnectedAccount(
  stripe: Stripe,
  request: TransferRequest,
): Promise<ProcessorResult<ConnectTransfer>> {
  const account = await readConnectedAccount(stripe, request.accountId);
  if (!account.ok) return account;
  if (!account.value.payoutsEnabled) {
    return failed({
      kind: 'account_not_ready',
      code: 'payouts_not_enabled',
      message: `Connected account ${request.accountId} cannot be paid out yet (onboarding unfinished).`,
      retryable: false,
    });
  }
  return callStripe(async () =>
    transferOf(
      await stripe.transfers.create(
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          destination: request.accountId,
          ...(request.transferGroup ? { transfer_group: request.transferGroup } : {}),
          metadata: { ...request.metadata, tas_key: request.idempotencyKey },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    ),
  );
}

/** A transfer as Stripe has it now: what webhook handlers read instead of trusting an event's order. */
export function readTransfer(stripe: Stripe, transferId: string): Promise<ProcessorResult<ConnectTransfer>> {
  return callStripe(async () => transferOf(await stripe.transfers.retrieve(transferId)));
}

/** A transfer as listed: with the TAS key it was made with (null: not made by TAS). */
export type ListedTransfer = ConnectTransfer & { tasKey: string | null; createdAt: Date };

const listedOf = (transfer: Stripe.Transfer): ListedTransfer => ({
  ...transferOf(transfer),
  tasKey: transfer.metadata?.tas_key ?? null,
  createdAt: new Date(transfer.created * 1000),
});

/** A transfer with its TAS key, by id (what a list that began later does not hold). */
export function readListedTransfer(
  stripe: Stripe,
  transferId: string,
): Promise<ProcessorResult<ListedTransfer>> {
  return callStripe(async () => listedOf(await stripe.transfers.retrieve(transferId)));
}

/** Every transfer the platform made since `createdSince`, newest first, all pages. */
export function listConnectTransfers(
  stripe: Stripe,
  createdSince: Date,
): Promise<ProcessorResult<ListedTransfer[]>> {
  const created = { gte: Math.floor(createdSince.getTime() / 1000) };
  return listAll((page) => stripe.transfers.list({ ...page, created }), listedOf);
}

/** The connected account's own Stripe balance (read as that account, through Stripe-Account). */
export function readConnectedBalance(
  stripe: Stripe,
  accountId: string,
): Promise<
  ProcessorResult<{ availableMinor: Record<string, number>; pendingMinor: Record<string, number> }>
> {
  const byCurrency = (amounts: { amount: number; currency: string }[]) =>
    Object.fromEntries(amounts.map((a) => [a.currency.toUpperCase(), a.amount]));
  return callStripe(async () => {
    const balance = await stripe.balance.retrieve({}, { stripeAccount: accountId });
    return { availableMinor: byCurrency(balance.available), pendingMinor: byCurrency(balance.pending) };
  });
}
