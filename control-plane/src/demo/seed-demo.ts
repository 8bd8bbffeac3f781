import { count } from 'drizzle-orm';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
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
