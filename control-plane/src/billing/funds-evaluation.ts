import { z } from 'zod';
import { fundsState } from '../db/schema/advertiser-funds.ts';
import type { BillingTerms } from './billing-settings.ts';

export const fundsStateSchema = z
  .enum(fundsState.enumValues)
  .describe('available: serving; low: serving, below the low-balance threshold; exhausted: offers stopped');
export type FundsState = z.infer<typeof fundsStateSchema>;

const minor = z.number().int();

/** An advertiser's money in one currency, as the API shows it and the stop decides on it. */
export const fundsPictureSchema = z
  .object({
    currency: z.string().length(3),
    balanceMinor: minor.describe(
      'Posted balance, credit-positive: what is prepaid minus what approved conversions cost (negative: owed)',
    ),
    pendingHoldsMinor: minor.describe('What pending conversions hold, not owed yet (positive)'),
    creditLimitMinor: minor.nullable().describe('Postpaid: the credit limit in this currency; null: none'),
    lowBalanceMinor: minor.nullable().describe('Prepaid: the low-balance threshold; null: none'),
    availableMinor: minor
      .nullable()
      .describe(
        'What more conversions may cost before offers stop: prepaid, balance minus holds; postpaid, ' +
          'credit limit minus what is owed (pending included); null: no limit',
      ),
    state: fundsStateSchema,
  })
  .meta({ id: 'FundsPicture' });
export type FundsPicture = z.infer<typeof fundsPictureSchema>;

/**
 * An advertiser's ledger account in one currency as stored (debit positive, decision 021): a
 * top-up is a credit (negative), a conversion's revenue a debit (positive), per layer.
 */
export type StoredAdvertiserSums = { posted: number; pending: number };

/**
 * Decides an advertiser's funds in one currency from its terms and its account. Prepaid: what is
 * left of the balance after what pending conversions hold; exhausted at zero or below, low below
 * the threshold. Postpaid with a credit limit: exhausted once what is owed, pending included,
 * reaches the limit. Postpaid without one: always available (what TAS did before it billed).
 */
export function evaluateFunds(
  terms: Pick<BillingTerms, 'mode' | 'creditLimitByCurrency' | 'lowBalanceByCurrency'>,
  currency: string,
  sums: StoredAdvertiserSums,
): FundsPicture {
  // Presented credit-positive, as the ledger's balances are to the advertiser.
  const balanceMinor = -sums.posted || 0;
  const pendingHoldsMinor = sums.pending;
  const base = { currency, balanceMinor, pendingHoldsMinor };
  if (terms.mode === 'prepaid') {
    const availableMinor = balanceMinor - pendingHoldsMinor;
    const lowBalanceMinor = terms.lowBalanceByCurrency[currency] ?? null;
    const state: FundsState =
      availableMinor <= 0
        ? 'exhausted'
        : lowBalanceMinor !== null && availableMinor < lowBalanceMinor
          ? 'low'
          : 'available';
    return { ...base, creditLimitMinor: null, lowBalanceMinor, availableMinor, state };
  }
  const creditLimitMinor = terms.creditLimitByCurrency[currency] ?? null;
  if (creditLimitMinor === null)
    return { ...base, creditLimitMinor, lowBalanceMinor: null, availableMinor: null, state: 'available' };
  const owedMinor = pendingHoldsMinor - balanceMinor;
  return {
    ...base,
    creditLimitMinor,
    lowBalanceMinor: null,
    availableMinor: creditLimitMinor - owedMinor,
    state: owedMinor >= creditLimitMinor ? 'exhausted' : 'available',
  };
}

const SEVERITY: Record<FundsState, number> = { available: 0, low: 1, exhausted: 2 };

/**
 * Which notice a change of state calls for, and what is remembered as noticed: the advertiser hears
 * once that its funds fell below the threshold and once that they ran out, and not again until
 * they are available again (above the threshold, or under the limit).
 */
export function noticeFor(
  state: FundsState,
  noticed: FundsState | null,
): { send: FundsState | null; noticed: FundsState | null } {
  if (state === 'available') return { send: null, noticed: null };
  if (SEVERITY[state] > SEVERITY[noticed ?? 'available']) return { send: state, noticed: state };
  return { send: null, noticed };
}
