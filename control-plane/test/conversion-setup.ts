import type { Database } from '../src/db/database.ts';
import { adminSession, call, type Session, signUp, type TestApp } from './api-client.ts';
import { apiOffer } from './offer-setup.ts';
import { clickEvent, conversionEvent, signedIngest } from './tracking-events.ts';

/** An advertiser with an offer, an active affiliate approved on it, and conversions ingested as the edge sends them. */
export async function conversionWorld(app: TestApp, db: Database, count = 3) {
  const admin = await adminSession(app, db);
  const advertiser = await signUp(app, 'advertiser');
  const affiliate = await signUp(app, 'affiliate');
  await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
    token: admin.accessToken,
    body: { status: 'active' },
  });
  const offer = await apiOffer(app, advertiser, {
    visibility: 'public',
    payoutMinor: 1500,
    revenueMinor: 2500,
  });
  const events = [];
  const txids: string[] = [];
  for (let i = 0; i < count; i++) {
    const click = await clickEvent({
      offerId: offer.id,
      affiliateId: affiliate.affiliateId!,
      occurredAt: `2026-11-20T10:0${i}:00.000Z`,
    });
    const txid = `ORDER-${offer.id}-${i}`;
    txids.push(txid);
    events.push(
      click,
      conversionEvent(click, {
        txid,
        occurredAt: `2026-11-20T11:0${i}:00.000Z`,
        advertiserStatus: 'pending',
      }),
    );
  }
  const response = await app.request('/internal/ingest', await signedIngest({ events }));
  if (response.status !== 200) throw new Error(`ingest failed: ${response.status}`);
  const ids = events.filter((e) => e.type === 'conversion').map((e) => e.id);
  return { admin, advertiser, affiliate, offer, conversionIds: ids, txids } satisfies Record<
    string,
    unknown
  > & {
    admin: Session;
  };
}
