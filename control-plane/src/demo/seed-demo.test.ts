import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../../test/api-client.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import { users } from '../db/schema/users.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo, seedDemoUsers, syncDemoLedger } from './seed-demo.ts';

describe.each(testDatabases)('demo data on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  it('seeds once, with users that can log in as admin, advertiser and affiliate', async () => {
    expect(await seedDemo(handle.db, acceptingEdge)).toBe(true);
    expect(await seedDemoUsers(handle.db)).toBe(true);
    expect(await seedDemoUsers(handle.db)).toBe(false);
    const app = testApp(handle.db);
    const admin = await logIn(app, DEMO_USERS.admin, DEMO_PASSWORD);
    const advertiser = await logIn(app, DEMO_USERS.advertiser, DEMO_PASSWORD);
    const affiliate = await logIn(app, DEMO_USERS.affiliate, DEMO_PASSWORD);
    expect([admin.advertiserId, admin.affiliateId]).toEqual([null, null]);
    expect(advertiser.advertiserId).toEqual(expect.any(Number));
    expect(affiliate.affiliateId).toEqual(expect.any(Number));
    // Demo users are made as an admin makes them: verified, no emailed link to follow.
    const seeded = await handle.db.select().from(users);
    expect(seeded.map((u) => u.emailVerifiedAt)).toEqual(seeded.map(() => expect.any(Date)));
  });

  it('ends with a synced ledger, conversions stored before it included', async () => {
    const db = handle.db;
    const [offer] = await db.select().from(offers).limit(1);
    // As a local database from before the ledger holds them: conversions without transfers.
    await db.execute(sql`
      INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, status,
                               payout_minor, revenue_minor, payout_currency, source)
      VALUES (${crypto.randomUUID()}, 'c', now(), now(), ${offer!.id}, 1, 'conversion', 'approved', 1500, 2500, 'USD', 'postback')`);
    expect((await reconcileLedger(db)).clean).toBe(false);
    expect(await syncDemoLedger(db)).toMatchObject({ posted: 1 });
    expect(await reconcileLedger(db)).toMatchObject({ clean: true, differences: [] });
  });
});
