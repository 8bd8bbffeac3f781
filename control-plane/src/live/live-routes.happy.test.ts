import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../test/api-client.ts';
import { reportWorld } from '../../test/report-setup.ts';
import { readSse } from '../../test/sse-reader.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/live on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { livePollMs: 50 });
  });
  afterAll(() => handle.close());

  it('streams clicks and conversions as they are stored, once each, with the money each role may see', async () => {
    const w = await reportWorld(app, handle.db);
    const feeds = [w.admin, w.adv1, w.aff1].map((s) =>
      call(app, 'GET', '/api/v1/live', { token: s.accessToken }),
    );
    const responses = await Promise.all(feeds);
    for (const r of responses) expect(r.headers.get('content-type')).toContain('text/event-stream');
    const click = await clickEvent({
      offerId: w.usd.id,
      affiliateId: w.aff1.affiliateId!,
      occurredAt: new Date().toISOString(),
      fraudFlags: ['bot'],
    });
    const conversion = conversionEvent(click, {
      occurredAt: new Date().toISOString(),
      fraudFlags: ['bot_click'],
    });
    await new Promise((r) => setTimeout(r, 100));
    await app.request('/internal/ingest', await signedIngest({ events: [click, conversion] }));

    // Clicks and conversions are read by two queries: one poll may see the conversion and the next the click.
    const wanted = (events: { event: string }[]) =>
      events.some((e) => e.event === 'conversion') && events.some((e) => e.event === 'click');
    const [admin = [], advertiser = [], affiliate = []] = await Promise.all(
      responses.map((r) => readSse(r, wanted)),
    );
    for (const events of [admin, advertiser, affiliate]) {
      expect(events[0]?.event).toBe('ready');
      // Only what was stored after the feed opened; the world's older events are not replayed.
      expect(events.filter((e) => e.event === 'click').map((e) => e.id)).toEqual([click.id]);
      expect(events.filter((e) => e.event === 'conversion').map((e) => e.id)).toEqual([conversion.id]);
    }
    const data = (events: { event: string; data: string }[]) =>
      JSON.parse(events.find((e) => e.event === 'conversion')!.data);
    expect(data(admin)).toMatchObject({ payoutMinor: 1000, revenueMinor: 1500 });
    expect(data(advertiser)).toMatchObject({ revenueMinor: 1500 });
    expect(data(advertiser)).not.toHaveProperty('payoutMinor');
    expect(data(affiliate)).toMatchObject({ payoutMinor: 1000 });
    expect(data(affiliate)).not.toHaveProperty('revenueMinor');
    // Why a click is invalid, and the conversion's dimensions, travel with them.
    const clickData = JSON.parse(admin.find((e) => e.event === 'click')!.data);
    expect(clickData).toMatchObject({ fraudFlags: ['bot'], sub1: 's1', country: 'DE' });
    expect(data(admin)).toMatchObject({
      fraudFlags: ['bot_click'],
      status: 'pending',
      sub1: 's1',
      country: 'DE',
    });
  });

  it('replays from since', async () => {
    const w = await reportWorld(app, handle.db);
    const since = new Date(Date.now() - 60_000).toISOString();
    const response = await call(app, 'GET', `/api/v1/live?since=${since}`, { token: w.aff2.accessToken });
    const events = await readSse(
      response,
      (e) => e.filter((x) => x.event === 'conversion').length >= 1,
      3_000,
    );
    expect(events.filter((e) => e.event === 'click')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'conversion')).toHaveLength(1);
  });
});
