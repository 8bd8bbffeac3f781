/**
 * `pnpm --filter @tas/control-plane exec tsx bench/ad-forwarding.ts`: the ad-platform path at size
 * (issue 12). Times the ingest of batches of 2,500 clicks + 2,500 approved conversions with and
 * without a Meta destination (the queueing INSERT the ingest statement gains), then the outbox
 * draining them to the local Meta fake (events/s, requests), and the cost of finding one refused
 * event per 1,000 by bisection. Prints figures; asserts nothing.
 *
 * BENCH_CONVERSIONS (50000), BENCH_DATABASE_URL (default: a throwaway PostgreSQL 15 started here).
 */
import { randomUUID } from 'node:crypto';
import { createClickIdCodec } from '@tas/shared/click-id';
import { NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import type { ClickEvent, ConversionEvent } from '@tas/shared/events';
import { sealCredentials } from '../src/ad-platforms/connection-store.ts';
import { processAdDeliveries } from '../src/ad-platforms/forwarding-outbox.ts';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import { createAffiliate } from '../src/affiliates/affiliate-service.ts';
import { connectPostgres } from '../src/db/database.ts';
import { adConversionDestinations } from '../src/db/schema/ad-conversion-destinations.ts';
import { adPlatformConnections } from '../src/db/schema/ad-platform-connections.ts';
import { ingestEvents } from '../src/ingest/ingest-events.ts';
import { createOffer } from '../src/offers/offer-service.ts';
import { fakeEndpoints, testAdPlatformDeps } from '../test/ad-platform-setup.ts';
import { startEphemeralPostgres } from '../test/ephemeral-postgres.ts';
import { META_FAKE_TOKEN, startMetaFake } from '../test/fakes/meta-fake.ts';
import { acceptingEdge } from '../test/fixtures.ts';
import { fmt, seconds } from './bench-timing.ts';

const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 50_000);
const BATCH = 2_500;
const codec = createClickIdCodec([{ id: 1, secret: 'click-secret-for-bench-0123456789abcdef' }]);

async function batchOf(offerId: number, affiliateId: number, n: number, tag: string, offset: number) {
  const events: (ClickEvent | ConversionEvent)[] = [];
  const clickedAt = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < n; i++) {
    const id = await codec.sign({ offerId, affiliateId, clickedAt });
    events.push({
      type: 'click',
      id,
      occurredAt: clickedAt.toISOString(),
      offerId,
      affiliateId,
      sub1: null,
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      sourceId: null,
      creativeId: null,
      landingPageId: null,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 Bench',
      country: 'US',
      device: 'desktop',
      os: 'windows',
      referrer: null,
      gclid: null,
      fbclid: `IwAR-${tag}${offset + i}`,
      msclkid: null,
      ttclid: null,
      gbraid: null,
      wbraid: null,
      ...NO_CONSENT_SIGNALS,
      consent: 'granted',
      outcome: 'redirect',
      reason: null,
      fraudFlags: [],
      unique: true,
      source: 'redirect',
      capCounterUnavailable: false,
      fraudCounterUnavailable: false,
    });
    events.push({
      type: 'conversion',
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      clickId: id,
      clickedAt: clickedAt.toISOString(),
      offerId,
      affiliateId,
      event: 'conversion',
      amountMinor: 4_990,
      currency: 'USD',
      sentAmountMinor: null,
      sentCurrency: null,
      exchangeRate: null,
      txid: `${tag}${offset + i}`,
      advertiserStatus: null,
      source: 'postback',
      fraudFlags: [],
      reason: null,
      supersedes: [],
      holds: [],
      ip: null,
      userAgent: null,
      customerHashes: null,
      ...NO_CONSENT_SIGNALS,
    });
  }
  return events;
}

async function main() {
  const server = process.env.BENCH_DATABASE_URL ? null : await startEphemeralPostgres();
  const database = connectPostgres(process.env.BENCH_DATABASE_URL ?? server?.url() ?? '', { driver: 'pg' });
  const meta = await startMetaFake();
  try {
    await database.migrate();
    const db = database.db;
    const advertiser = await createAdvertiser(db, { companyName: 'Bench' });
    const affiliate = await createAffiliate(
      { db, edge: acceptingEdge },
      { companyName: 'Aff', status: 'active' },
    );
    const offer = await createOffer(
      { db, edge: acceptingEdge },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 150,
        revenueMinor: 250,
        status: 'active',
        destinationUrl: 'https://adv.example/?c={click_id}',
      },
    );
    const ingestRate = async (label: string, tag: string) => {
      // Made first: signing click ids is the edge's work, not the ingest's.
      const batches = [];
      for (let done = 0; done < CONVERSIONS; done += BATCH)
        batches.push(await batchOf(offer.id, affiliate.id, BATCH, tag, done));
      const start = performance.now();
      for (const events of batches) await ingestEvents(db, { events });
      const ms = performance.now() - start;
      console.log(
        `ingest ${label}: ${fmt(CONVERSIONS)} clicks + ${fmt(CONVERSIONS)} conversions in ${seconds(ms)} (${fmt(Math.round((2 * CONVERSIONS) / (ms / 1000)))} events/s)`,
      );
    };
    await ingestRate('without a destination', 'a');

    const deps = testAdPlatformDeps(db, { endpoints: fakeEndpoints({ metaGraphUrl: meta.url }) });
    const connectionId = randomUUID();
    await db.insert(adPlatformConnections).values({
      id: connectionId,
      advertiserId: advertiser.id,
      platform: 'meta',
      label: 'Bench',
      accountId: '1',
      credentials: sealCredentials(deps, connectionId, { accessToken: META_FAKE_TOKEN }),
      source: 'token',
    });
    await db.insert(adConversionDestinations).values({
      advertiserId: advertiser.id,
      connectionId,
      platform: 'meta',
      name: 'Bench',
      settings: { pixelId: '42' },
    });
    await ingestRate('with a Meta destination', 'b');

    const drain = async (label: string) => {
      const requestsBefore = meta.requests.length;
      const start = performance.now();
      let sent = 0;
      let rejected = 0;
      for (;;) {
        const round = await processAdDeliveries(deps);
        sent += round.sent;
        rejected += round.rejected;
        if (round.claimed === 0) break;
      }
      const ms = performance.now() - start;
      console.log(
        `outbox ${label}: ${fmt(sent)} sent, ${fmt(rejected)} rejected in ${seconds(ms)} (${fmt(Math.round(sent / (ms / 1000)))} events/s, ${fmt(meta.requests.length - requestsBefore)} requests to Meta)`,
      );
    };
    await drain('to the Meta fake');

    // One refused event per 1,000: bisection finds each and sends the rest.
    const refused = Math.max(1, Math.floor(CONVERSIONS / 10 / 1_000));
    meta.rejectEventIds(Array.from({ length: refused }, (_, k) => `c${k * 1_000}`));
    for (let done = 0; done < CONVERSIONS / 10; done += BATCH) {
      await ingestEvents(db, {
        events: await batchOf(offer.id, affiliate.id, Math.min(BATCH, CONVERSIONS / 10 - done), 'c', done),
      });
    }
    await drain(`with ${refused} refused event(s) among ${fmt(CONVERSIONS / 10)}`);
  } finally {
    await meta.close();
    await database.close();
    server?.stop();
  }
}

await main();
