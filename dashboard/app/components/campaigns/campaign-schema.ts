import { currencyExponent, parseDecimalAmount } from '@tas/shared/minor-units';
import { z } from 'zod';
import type { Campaign, CampaignStatus } from './campaign-labels';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "1,500.50" -> minor units in the currency, or why not (exact: digit by digit, never a float). */
export function moneyToMinor(
  text: string,
  currency: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  const cleaned = text.replace(/[\s,_]/g, '');
  const parsed = parseDecimalAmount(cleaned, currency);
  if (!parsed.ok) {
    if (parsed.error === 'too_many_decimals') {
      const digits = currencyExponent(currency);
      return {
        ok: false,
        message:
          digits === 0
            ? `${currency} has no decimals: enter a whole amount.`
            : `${currency} has ${digits} decimals at most.`,
      };
    }
    if (parsed.error === 'out_of_range') return { ok: false, message: 'That amount is too large.' };
    return { ok: false, message: 'Enter an amount, e.g. 1500 or 1500.50' };
  }
  if (parsed.amountMinor < 0) return { ok: false, message: 'A budget cannot be negative.' };
  return { ok: true, minor: parsed.amountMinor };
}

/**
 * The campaign form as people fill it: money as decimals in the campaign's currency, dates as
 * calendar days (UTC). The same schema checks it in the browser and in the action.
 */
export const campaignFormSchema = z
  .object({
    name: z.string('Name the campaign').trim().min(1, 'Name the campaign').max(200, '200 characters at most'),
    description: z.string().trim().max(10_000, '10,000 characters at most').optional(),
    offerId: z
      .string()
      .regex(/^[1-9]\d{0,9}$/)
      .optional(),
    advertiserId: z
      .string()
      .regex(/^[1-9]\d{0,9}$/)
      .optional(),
    status: z.enum(['draft', 'active', 'paused', 'completed']),
    startDate: z.string().regex(DATE, 'A date, YYYY-MM-DD').optional(),
    endDate: z.string().regex(DATE, 'A date, YYYY-MM-DD').optional(),
    budget: z.string().trim().optional(),
    dailyBudget: z.string().trim().optional(),
    currency: z
      .string('Choose the currency')
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'A three-letter currency code, e.g. USD'),
  })
  .superRefine((value, ctx) => {
    for (const key of ['budget', 'dailyBudget'] as const) {
      const text = value[key];
      if (!text) continue;
      const money = moneyToMinor(text, value.currency);
      if (!money.ok) ctx.addIssue({ code: 'custom', path: [key], message: money.message });
    }
    if (value.startDate && value.endDate && value.endDate < value.startDate)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end is before the start.' });
  });

export type CampaignFormValue = z.infer<typeof campaignFormSchema>;

type CampaignBody = {
  offerId: number | null;
  name: string;
  description: string | null;
  status: CampaignStatus;
  startDate: string | null;
  endDate: string | null;
  budgetMinor: number | null;
  dailyBudgetMinor: number | null;
  currency: string;
};

function minorOrNull(text: string | undefined, currency: string): number | null {
  if (!text) return null;
  const money = moneyToMinor(text, currency);
  return money.ok ? money.minor : null;
}

/** What the API takes for a checked form: budgets in exact minor units, blanks as null. */
export function campaignBody(value: CampaignFormValue): CampaignBody {
  return {
    offerId: value.offerId ? Number(value.offerId) : null,
    name: value.name,
    description: value.description ? value.description : null,
    status: value.status,
    startDate: value.startDate ?? null,
    endDate: value.endDate ?? null,
    budgetMinor: minorOrNull(value.budget, value.currency),
    dailyBudgetMinor: minorOrNull(value.dailyBudget, value.currency),
    currency: value.currency,
  };
}

/**
 * Only what changed, for PATCH: a held campaign (currency_mismatch) may still be renamed or
 * paused, which restating its budget and currency would refuse.
 */
export function changedFields(campaign: Campaign, body: CampaignBody): Partial<CampaignBody> {
  const changes: Partial<CampaignBody> = {};
  const keys = Object.keys(body) as (keyof CampaignBody)[];
  for (const key of keys) {
    if (body[key] !== campaign[key]) Object.assign(changes, { [key]: body[key] });
  }
  // A budget is stated in a currency: changing either sends both, so the API judges them together.
  const money = ['budgetMinor', 'dailyBudgetMinor', 'currency'] as const;
  if (money.some((key) => key in changes))
    for (const key of money) Object.assign(changes, { [key]: body[key] });
  return changes;
}
