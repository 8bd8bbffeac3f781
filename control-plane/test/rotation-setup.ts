import type { OfferConfig } from '@tas/shared/offer-config';
import { afterAll, beforeAll } from 'vitest';
import type { Database, DatabaseHandle } from '../src/db/database.ts';
import { ingestEvents } from '../src/ingest/ingest-events.ts';
import { adminSession, call, type Session, signUp } from './api-client.ts';
import { startEdgeRecorder } from './edge-recorder.ts';
import { apiCampaign, apiOffer } from './offer-setup.ts';
import { testApp } from './test-app.ts';
import { clickEvent, conversionEvent } from './tracking-events.ts';

/** The clock of rotation tests: traffic is placed in the days before it. */
export const ROTATION_NOW = new Date('2026-11-20T12:00:00.000Z');

/**
 * An app whose edge is the local recorder (on a fixed clock), an advertiser's offer with two
 * landing pages (manual weights 3 and 1), an active campaign of the offer with two 300x250
 * images and a 728x90 one, another advertiser, and an affiliate that may run the offer.
 */
export async function rotationWorld(db: Database) {
  const recorder = await startEdgeRecorder();
  const app = testApp(db, { edge: recorder.edge, now: () => ROTATION_NOW });
  const admin = await adminSession(app, db);
  const advertiser = await signUp(app, 'advertiser');
  const otherAdvertiser = await signUp(app, 'advertiser');
  const affiliate = await signUp(app, 'affiliate');
  await call(app, 'PATCH', `/api/v1/affiliates/${affiliate.affiliateId}`, {
    token: admin.accessToken,
    body: { status: 'active' },
  });
  const offer = await apiOffer(app, advertiser, {
    visibility: 'public',
    payoutMinor: 1000,
    revenueMinor: 1500,
    landingPages: [
      { name: 'Page A', url: 'https://adv.example/a?c={click_id}', weight: 3 },
      { name: 'Page B', url: 'https://adv.example/b?c={click_id}', weight: 1 },
    ],
  });
  const shown = await call(app, 'GET', `/api/v1/offers/${offer.id}`, { token: advertiser.accessToken });
  const pages = ((await shown.json()) as { landingPages: { id: number; name: string }[] }).landingPages;
  const campaign = await apiCampaign(app, advertiser, { offerId: offer.id, status: 'active' });
  const creative = async (name: string, size: string) => {
    const response = await call(app, 'POST', '/api/v1/creatives', {
      token: advertiser.accessToken,
      body: { campaignId: campaign.id, name, type: 'image', url: `https://cdn.example/${name}.png`, size },
    });
    if (response.status !== 201) throw new Error(`creative not created: ${await response.text()}`);
    return ((await response.json()) as { id: number }).id;
  };
  const creatives = {
    square1: await creative('square-1', '300x250'),
    square2: await creative('square-2', '300x250'),
    leaderboard: await creative('leader', '728x90'),
  };
  return {
    app,
    db,
    recorder,
    admin,
    advertiser,
    otherAdvertiser,
    affiliate,
    offer,
    campaign,
    pageA: pages[0]!.id,
    pageB: pages[1]!.id,
    creatives,
  } satisfies Record<string, unknown>;
}

export type RotationWorld = Awaited<ReturnType<typeof rotationWorld>>;

/** Inside a describe: a database and a rotationWorld for its tests, closed after them. */
export function useRotationWorld(open: () => Promise<DatabaseHandle>): () => RotationWorld {
  let handle: DatabaseHandle | undefined;
  let world: RotationWorld | undefined;
  beforeAll(async () => {
    handle = await open();
    world = await rotationWorld(handle.db);
  });
  afterAll(async () => {
    await world?.recorder.close();
    await handle?.close();
  });
  return () => {
    if (!world) throw new Error('rotationWorld is not ready');
    return world;
  };
}

/**
 * Ingests `clicks` clicks on an arm, the first `conversions` of them converted, spread over the
 * `days` before `until` (as the edge sends them).
 */
export async function traffic(
  w: { db: Database; offer: { id: number }; affiliate: Session },
  arm: { landingPageId?: number; creativeId?: number },
  counts: { clicks: number; conversions: number; days?: number; until?: Date },
) {
  const until = (counts.until ?? ROTATION_NOW).getTime();
  const span = (counts.days ?? 7) * 86_400_000;
  const events = [];
  for (let i = 0; i < counts.clicks; i++) {
    const at = new Date(until - 3_600_000 - Math.floor((span * i) / counts.clicks));
    const click = await clickEvent({
      offerId: w.offer.id,
      affiliateId: w.affiliate.affiliateId!,
      occurredAt: at.toISOString(),
      landingPageId: arm.landingPageId ?? null,
      creativeId: arm.creativeId ?? null,
    });
    events.push(click);
    if (i < counts.conversions) {
      events.push(conversionEvent(click, { occurredAt: new Date(at.getTime() + 60_000).toISOString() }));
    }
  }
  for (let i = 0; i < events.length; i += 2000)
    await ingestEvents(w.db, { events: events.slice(i, i + 2000) });
}

/** The last configuration of `offerId` the recorder accepted. */
export function lastConfigOf(w: RotationWorld, offerId: number): OfferConfig | undefined {
  for (const request of [...w.recorder.received].reverse()) {
    const config = request.upsert?.offers?.find((o) => o.id === offerId);
    if (config) return config;
  }
  return undefined;
}
