import { createPaymentDetailsCipher } from '../src/crypto/payment-details-cipher.ts';
import type { Database } from '../src/db/database.ts';
import { affiliatePayoutSettings } from '../src/db/schema/payouts.ts';
import type { PayoutMethod } from '../src/payouts/eligibility.ts';
import { call, type TestApp } from './api-client.ts';
import { conversionWorld } from './conversion-setup.ts';
import { PAYMENT_KEY } from './test-app.ts';

export const testCipher = createPaymentDetailsCipher(PAYMENT_KEY);

/** Days from now, for a run's clock past the hold period. */
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

/**
 * conversionWorld with its conversions approved: the affiliate is owed 15.00 a conversion
 * (USD), posted now, so a run 31 days later pays it (the network holds 30 days by default).
 */
export async function payableWorld(app: TestApp, db: Database, count = 4) {
  const world = await conversionWorld(app, db, count);
  const approved = await call(app, 'POST', '/api/v1/conversions/changes', {
    token: world.admin.accessToken,
    body: { action: 'approve', conversionIds: world.conversionIds, dryRun: false },
  });
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status}`);
  return world;
}

/** Sets an affiliate's payout method straight in the database. */
export async function setPayoutMethod(
  db: Database,
  affiliateId: number,
  method: PayoutMethod,
  details: { stripeAccountId?: string; stripePayoutsEnabled?: boolean; paypalEmail?: string } = {},
) {
  const values = {
    method,
    stripeAccountId: details.stripeAccountId ?? null,
    stripePayoutsEnabled: details.stripePayoutsEnabled ?? false,
    paypalReceiverEncrypted: details.paypalEmail
      ? testCipher.encrypt(affiliateId, details.paypalEmail)
      : null,
  };
  await db
    .insert(affiliatePayoutSettings)
    .values({ affiliateId, ...values })
    .onConflictDoUpdate({ target: affiliatePayoutSettings.affiliateId, set: values });
}
