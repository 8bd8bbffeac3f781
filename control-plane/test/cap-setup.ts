import type { CapUsageRequest } from '@tas/shared/cap-usage';
import { afterAll, beforeAll } from 'vitest';
import type { Database, DatabaseHandle } from '../src/db/database.ts';
import { adminSession, call, signUp } from './api-client.ts';
import { startEdgeRecorder } from './edge-recorder.ts';
import { apiOffer } from './offer-setup.ts';
import { testApp } from './test-app.ts';
import { clickEvent, signedIngest } from './tracking-events.ts';

const caps = (dailyClicks: number) => ({
  dailyClicks,
  monthlyClicks: null,
  dailyConversions: null,
  monthlyConversions: null,
});

/**
 * An app whose edge is the local recorder, an offer capped at 100 clicks a day (10 per affiliate,
 * 20 for `overridden`), `clicking` with a click on it this month, and counters the recorder
 * answers: 12 for the offer, 5 for `clicking`, 7 for `overridden`.
 */
export async function capWorld(db: Database) {
  const recorder = await startEdgeRecorder();
  const app = testApp(db, {
    edge: recorder.edge,
  });
  const admin = await adminSession(app, db);
  const advertiser = await signUp(app, 'advertiser');
  const clicking = await signUp(app, 'affiliate');
  const overridden = await signUp(app, 'affiliate');
  for (const affiliate of [clicking, overridden]) {
    await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'active' },
    });
  }
  const offer = await apiOffer(app, advertiser, {
    visibility: 'public',
    caps: {
      offer: caps(100),
      perAffiliate: caps(10),
      affiliateOverrides: [{ affiliateId: overridden.affiliateId, limits: caps(20) }],
    },
  });
  const click = await clickEvent({
    offerId: offer.id,
    affiliateId: clicking.affiliateId!,
    occurredAt: new Date().toISOString(),
  });
  const ingested = await app.request('/internal/ingest', await signedIngest({ events: [click] }));
  if (ingested.status !== 200) throw new Error(`ingest failed: ${ingested.status}`);

  const counted = new Map([
    [clicking.affiliateId, 5],
    [overridden.affiliateId, 7],
  ]);
  recorder.answerCapUsage((request: CapUsageRequest) => {
    const at = request.at ?? new Date().toISOString();
    const used = (n: number) => ({ clicks: { daily: n, monthly: n }, conversions: { daily: 0, monthly: 0 } });
    return {
      offerId: request.offerId,
      day: at.slice(0, 10),
      month: at.slice(0, 7),
      offer: used(12),
      affiliates: (request.affiliateIds ?? []).map((affiliateId) => ({
        affiliateId,
        used: used(counted.get(affiliateId) ?? 0),
      })),
    };
  });
  return { app, recorder, admin, advertiser, clicking, overridden, offer };
}

export type CapWorld = Awaited<ReturnType<typeof capWorld>>;

/** Inside a describe: a database and a capWorld for its tests, closed after them. */
export function useCapWorld(open: () => Promise<DatabaseHandle>): () => CapWorld {
  let handle: DatabaseHandle | undefined;
  let world: CapWorld | undefined;
  beforeAll(async () => {
    handle = await open();
    world = await capWorld(handle.db);
  });
  afterAll(async () => {
    await world?.recorder.close();
    await handle?.close();
  });
  return () => {
    if (!world) throw new Error('capWorld is not ready');
    return world;
  };
}
