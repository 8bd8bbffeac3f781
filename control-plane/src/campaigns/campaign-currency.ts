import { inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { Campaign } from '../db/schema/campaigns.ts';
import { offers } from '../db/schema/offers.ts';
import { ApiError } from '../http/api-error.ts';

/*
 * A campaign's budgets are compared with the advertiser revenue of its approved conversions,
 * which is in its offer's currency. There are no exchange rates to compare across, so a
 * campaign's currency is its offer's: a new one takes it by default, and a create or change that
 * would leave them apart is refused. A campaign stored apart from its offer before this rule,
 * with a budget, is held (not served) rather than allowed to spend without a limit: a budget that
 * is never reached is the one outcome an advertiser cannot take back. (decision 019)
 */

/** The currency of each of the offers, by id. */
export async function offerCurrencies(
  db: Database,
  offerIds: (number | null)[],
): Promise<Map<number, string>> {
  const ids = [...new Set(offerIds.filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: offers.id, currency: offers.currency })
    .from(offers)
    .where(inArray(offers.id, ids));
  return new Map(rows.map((r) => [r.id, r.currency]));
}

/**
 * True when the campaign has a budget that cannot be enforced: its currency is not its offer's.
 * `offerCurrency` undefined: no offer (nothing is spent, nothing to compare).
 */
export function budgetInOtherCurrency(
  c: Pick<Campaign, 'currency' | 'budgetMinor' | 'dailyBudgetMinor'>,
  offerCurrency: string | undefined,
): boolean {
  const hasBudget = c.budgetMinor !== null || c.dailyBudgetMinor !== null;
  return hasBudget && offerCurrency !== undefined && offerCurrency !== c.currency;
}

export function currencyMismatch(campaignCurrency: string, offerId: number, offerCurrency: string) {
  return new ApiError(
    'currency_mismatch',
    `Offer ${offerId} is priced in ${offerCurrency}: the campaign's currency (and its budgets) must be ${offerCurrency} too, not ${campaignCurrency}.`,
  );
}
