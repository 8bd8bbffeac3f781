import type { ConversionEvent } from '@tas/shared/events';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../src/db/database.ts';
import { postbackDeliveries } from '../src/db/schema/postback-configs.ts';
import { adminSession, call, type Session, signUp, type TestApp } from './api-client.ts';
import { apiOffer } from './offer-setup.ts';
import { clickEvent, conversionEvent, signedIngest } from './tracking-events.ts';

/** An admin, an advertiser's offer (15.00 USD payout) and an active affiliate with a postback config. */
export async function postbackWorld(app: TestApp, db: Database, config: Record<string, unknown>) {
  const admin = await adminSession(app, db);
  const advertiser = await signUp(app, 'advertiser');
  const affiliate = await signUp(app, 'affiliate');
  await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
    token: admin.accessToken,
    body: { status: 'active' },
  });
  const offer = await apiOffer(app, advertiser, { visibility: 'public', payoutMinor: 1500 });
  const created = await call(app, 'POST', '/api/v1/postback-configs', {
    token: affiliate.accessToken,
    body: { offerId: offer.id, ...config },
  });
  if (created.status !== 201) throw new Error(`config not created: ${await created.text()}`);
  const postback = (await created.json()) as { id: number };
  return { admin, advertiser, affiliate, offer, postback };
}

/** A click and its conversion for `affiliate` on `offerId`, as the edge sends them. */
export async function conversionBatch(
  affiliate: Session,
  offerId: number,
  overrides: Partial<ConversionEvent> = {},
) {
  const click = await clickEvent({ offerId, affiliateId: affiliate.affiliateId! });
  const conversion = conversionEvent(click, overrides);
  return { events: [click, conversion], conversion };
}

export async function ingest(app: TestApp, events: unknown[]) {
  const response = await app.request('/internal/ingest', await signedIngest({ events }));
  if (response.status !== 200) throw new Error(`ingest failed: ${response.status}`);
}

/** Puts every delivery of a config in `state`, as the worker leaves them after giving up (or parking). */
export async function setDeliveryState(
  db: Database,
  postbackConfigId: number,
  state: 'failed' | 'disabled' | 'delivered',
) {
  return db
    .update(postbackDeliveries)
    .set({
      state,
      attempts: state === 'delivered' ? 1 : 12,
      lastError: state === 'delivered' ? null : 'HTTP 500',
    })
    .where(eq(postbackDeliveries.postbackConfigId, postbackConfigId))
    .returning();
}

/** A config's deliveries, oldest first. */
export function deliveriesOf(db: Database, postbackConfigId: number) {
  return db
    .select()
    .from(postbackDeliveries)
    .where(eq(postbackDeliveries.postbackConfigId, postbackConfigId))
    .orderBy(asc(postbackDeliveries.createdAt), asc(postbackDeliveries.id));
}
