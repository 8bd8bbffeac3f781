import { asc, count } from 'drizzle-orm';
import { createUser } from '../accounts/account-service.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { users } from '../db/schema/users.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { syncExistingConversions } from '../ledger/sync-existing-conversions.ts';
import { createOffer } from '../offers/offer-service.ts';

/**
 * Demo data for the local stack: one advertiser, one affiliate, two offers. Runs only on an
 * empty database, so restarting the stack keeps what was there.
 */
export async function seedDemo(db: Database, edge: EdgePublisher): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(advertisers);
  if ((existing?.n ?? 0) > 0) return false;
  const advertiser = await createAdvertiser(db, {
    companyName: 'Acme Shop',
    websiteUrl: 'https://shop.example.com',
    contactEmail: 'ads@shop.example.com',
  });
  await createAffiliate(
    { db, edge },
    { companyName: 'Demo Media', contactEmail: 'team@demo-media.example.com' },
  );
  await createOffer(
    { db, edge },
    {
      advertiserId: advertiser.id,
      name: 'Acme Shop - first order (CPA)',
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
      currency: 'USD',
      status: 'active',
      destinationUrl: 'https://shop.example.com/?click_id={click_id}&aff={aff_id}&sub1={sub1}',
      fallbackUrl: 'https://shop.example.com/',
      events: ['conversion', 'lead'],
    },
  );
  await createOffer(
    { db, edge },
    {
      advertiserId: advertiser.id,
      name: 'Acme Shop - revenue share',
      payoutType: 'revshare',
      payoutBps: 1000,
      revenueBps: 1500,
      currency: 'USD',
      status: 'active',
      destinationUrl: 'https://shop.example.com/deals?tid={transaction_id}&src={source_id}',
      fallbackUrl: 'https://shop.example.com/',
    },
  );
  return true;
}

/**
 * The demo ends with a synced ledger: conversions a local database stored before the ledger
 * existed are posted (the demo is small; a real install runs `ledger sync` itself).
 */
export function syncDemoLedger(db: Database) {
  return syncExistingConversions(db);
}

/** Demo logins, printed by the stack launcher. For local use only: the database is local. */
export const DEMO_PASSWORD = 'tas-demo-password';
export const DEMO_USERS = {
  admin: 'admin@tas.localhost',
  advertiser: 'advertiser@tas.localhost',
  affiliate: 'affiliate@tas.localhost',
} as const;

/**
 * An admin, and a user for the first advertiser and the first affiliate, when there are no users
 * yet (so a database seeded before accounts existed gets them too).
 */
export async function seedDemoUsers(db: Database): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return false;
  const [advertiser] = await db.select().from(advertisers).orderBy(asc(advertisers.id)).limit(1);
  const [affiliate] = await db.select().from(affiliates).orderBy(asc(affiliates.id)).limit(1);
  await createUser(
    { db },
    { email: DEMO_USERS.admin, password: DEMO_PASSWORD, role: 'admin', firstName: 'Demo' },
  );
  if (advertiser && !advertiser.userId) {
    await createUser(
      { db },
      {
        email: DEMO_USERS.advertiser,
        password: DEMO_PASSWORD,
        role: 'advertiser',
        advertiserId: advertiser.id,
      },
    );
  }
  if (affiliate && !affiliate.userId) {
    await createUser(
      { db },
      { email: DEMO_USERS.affiliate, password: DEMO_PASSWORD, role: 'affiliate', affiliateId: affiliate.id },
    );
  }
  return true;
}
