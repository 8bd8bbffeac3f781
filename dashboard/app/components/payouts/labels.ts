import type { Schemas } from '~/lib/api.server';

export type Payout = Schemas['Payout'];
export type PayoutRun = Schemas['PayoutRun'];
export type PayoutLine = Schemas['PayoutLine'];
export type PayoutMethod = Payout['method'];

export const METHOD_LABELS: Record<PayoutMethod, string> = {
  stripe_connect: 'Stripe',
  paypal: 'PayPal',
  bank_transfer: 'Bank transfer',
};

export const PAYOUT_STATUS_LABELS: Record<Payout['status'], string> = {
  pending: 'pending',
  sent: 'sent',
  paid: 'paid',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** A payout's status in the words StatusBadge colours (paid green, on its way amber, failed red). */
export const PAYOUT_STATUS_TONES: Record<Payout['status'], string> = {
  pending: 'pending',
  sent: 'pending',
  paid: 'approved',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const RUN_STATUS_TONES: Record<PayoutRun['status'], string> = {
  running: 'pending',
  interrupted: 'failed',
  completed: 'approved',
};

export const SKIP_REASONS: Record<NonNullable<PayoutLine['skipReason']>, string> = {
  below_minimum: 'Below the minimum',
  no_method: 'No payout method chosen',
  account_not_ready: 'Payout account not ready',
  negative_balance_carried: 'Negative balance carried forward',
  affiliate_not_active: 'Affiliate not active',
};

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "the 5th", for the day of a monthly run. */
export function ordinal(day: number): string {
  const tens = day % 100;
  const suffix =
    tens >= 11 && tens <= 13
      ? 'th'
      : day % 10 === 1
        ? 'st'
        : day % 10 === 2
          ? 'nd'
          : day % 10 === 3
            ? 'rd'
            : 'th';
  return `${day}${suffix}`;
}
