import { currencySchema } from '@tas/shared/money';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { payoutNetworkSettings, payoutSchedule } from '../db/schema/payouts.ts';

export const payoutScheduleSchema = z.enum(payoutSchedule.enumValues);
export type PayoutSchedule = z.infer<typeof payoutScheduleSchema>;

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The network's payout defaults, as stored and as the API shows them. */
export const networkPayoutSettingsSchema = z
  .object({
    automatic: z.boolean().describe('Runs start by themselves on schedule; otherwise admins start them'),
    schedule: payoutScheduleSchema.describe('Default schedule of affiliates without their own'),
    weeklyDay: z.number().int().min(1).max(7).describe('ISO weekday of weekly runs (1 = Monday), UTC'),
    monthlyDay: z.number().int().min(1).max(28).describe('Day of the month of monthly runs, UTC'),
    defaultMinimumMinor: minor.describe('Minimum payout in minor units where no per-currency minimum is set'),
    minimumByCurrency: z.record(currencySchema, minor).describe('Minimum payout per currency, minor units'),
    holdDays: z.number().int().min(0).max(365).describe('Conversions approved within this many days wait'),
  })
  .meta({ id: 'NetworkPayoutSettings' });
export type NetworkPayoutSettings = z.infer<typeof networkPayoutSettingsSchema>;

export const DEFAULT_NETWORK_PAYOUT_SETTINGS: NetworkPayoutSettings = {
  automatic: false,
  schedule: 'monthly',
  weeklyDay: 1,
  monthlyDay: 1,
  defaultMinimumMinor: 5000,
  minimumByCurrency: {},
  holdDays: 30,
};

/** The network's payout settings; the defaults until an admin saves some. */
export async function readNetworkPayoutSettings(db: Database): Promise<NetworkPayoutSettings> {
  const [row] = await db.select().from(payoutNetworkSettings).where(eq(payoutNetworkSettings.id, true));
  if (!row) return DEFAULT_NETWORK_PAYOUT_SETTINGS;
  return networkPayoutSettingsSchema.parse({
    automatic: row.automatic,
    schedule: row.schedule,
    weeklyDay: row.weeklyDay,
    monthlyDay: row.monthlyDay,
    defaultMinimumMinor: row.defaultMinimumMinor,
    minimumByCurrency: row.minimumByCurrency,
    holdDays: row.holdDays,
  });
}

export async function saveNetworkPayoutSettings(
  db: Database,
  settings: NetworkPayoutSettings,
): Promise<NetworkPayoutSettings> {
  const values = { ...settings, updatedAt: new Date() };
  await db
    .insert(payoutNetworkSettings)
    .values({ id: true, ...values })
    .onConflictDoUpdate({ target: payoutNetworkSettings.id, set: values });
  return readNetworkPayoutSettings(db);
}

/** The minimum payout in `currency` for an affiliate: its own, else the currency's, else the default. */
export function minimumFor(
  network: NetworkPayoutSettings,
  currency: string,
  affiliateMinimum: number | null,
): number {
  return affiliateMinimum ?? network.minimumByCurrency[currency] ?? network.defaultMinimumMinor;
}
