import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { metricsAccessOf } from './metrics-access.ts';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const scrape = (app: ReturnType<typeof testApp>, token?: string) =>
  app.request('/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one series in Prometheus text, or undefined when it is not there. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(testDatabases)('GET /metrics on $name', ({ name, open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { metricsAccess: { token: TOKEN } });
  });
  afterAll(() => handle.close());

  it('answers the Prometheus text format to the bearer of METRICS_TOKEN', async () => {
    const response = await scrape(app, TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE tas_ingest_events_total counter');
    expect(seriesValue(text, 'tas_ingest_events_total{type="click"}')).toBe(0);
    expect(seriesValue(text, 'tas_postback_outbox_deliveries{state="pending"}')).toBe(0);
    expect(seriesValue(text, 'tas_ad_outbox_deliveries{state="due"}')).toBe(0);
    expect(seriesValue(text, 'tas_edge_dead_letters')).toBe(0);
    expect(seriesValue(text, 'tas_edge_reachable')).toBe(1);
    // The migrated table's partition, then a week of days ahead at least.
    expect(seriesValue(text, 'tas_click_partitions')).toBeGreaterThanOrEqual(8);
    expect(seriesValue(text, 'tas_click_partitions_ready_seconds')).toBeGreaterThan(6 * 86_400);
    // node-postgres counts its pool's clients; PGlite has no pool.
    if (name === 'postgres') expect(text).toContain('tas_db_pool_connections{state="total"}');
    else expect(text).not.toContain('tas_db_pool_connections{');
  });

  it('counts an ingest: events by type, stored, the batch time, its request and the last event stored', async () => {
    const offer = await createTestOffer(handle.db);
    const c1 = await clickEvent({ offerId: offer.id, affiliateId: 4, fraudFlags: ['bot'] });
    const c2 = await clickEvent({
      offerId: offer.id,
      affiliateId: 5,
      occurredAt: '2026-11-20T10:00:01.000Z',
    });
    const batch = { events: [c1, c2, conversionEvent(c1), { type: 'click', id: 'not a click' }] };
    const ingested = await app.request('/internal/ingest', await signedIngest(batch));
    expect(ingested.status).toBe(200);

    const text = await (await scrape(app, TOKEN)).text();
    expect(seriesValue(text, 'tas_ingest_events_total{type="click"}')).toBe(3);
    expect(seriesValue(text, 'tas_ingest_events_total{type="conversion"}')).toBe(1);
    expect(seriesValue(text, 'tas_ingest_stored_total{type="click"}')).toBe(2);
    expect(seriesValue(text, 'tas_ingest_stored_total{type="conversion"}')).toBe(1);
    expect(seriesValue(text, 'tas_ingest_quarantined_events_total')).toBe(1);
    expect(seriesValue(text, 'tas_ingest_fraud_flags_total{flag="bot"}')).toBe(1);
    expect(seriesValue(text, 'tas_ingest_batch_duration_seconds_count{outcome="ok"}')).toBe(1);
    expect(seriesValue(text, 'tas_ingest_quarantine_waiting')).toBe(1);
    expect(
      seriesValue(
        text,
        'tas_http_request_duration_seconds_count{method="POST",route="/internal/ingest",status="200"}',
      ),
    ).toBe(1);
    const last = seriesValue(text, 'tas_ingest_last_received_timestamp_seconds') ?? 0;
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(300);
  });

  it('times report requests by route pattern', async () => {
    await app.request('/api/v1/reports?from=2026-11-01&to=2026-11-02');
    const text = await (await scrape(app, TOKEN)).text();
    expect(text).toMatch(/tas_report_duration_seconds_count\{route="\/api\/v1\/reports\/?",status="401"\} 1/);
  });
});

describe('GET /metrics access', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await testDatabases[0]!.open();
  });
  afterAll(() => handle.close());

  it('refuses a missing or wrong token with 401, and says how to authenticate', async () => {
    const app = testApp(handle.db, { metricsAccess: { token: TOKEN } });
    for (const token of [undefined, 'wrong-token-0123456789abcdef0123456789', `${TOKEN}x`]) {
      const response = await scrape(app, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('tas_');
    }
    const basic = await app.request('/metrics', { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('is 404 when closed (the default), and open without a token when opened', async () => {
    expect((await scrape(testApp(handle.db))).status).toBe(404);
    expect((await scrape(testApp(handle.db), TOKEN)).status).toBe(404);
    expect((await scrape(testApp(handle.db, { metricsAccess: 'open' }))).status).toBe(200);
  });

  it('follows METRICS_TOKEN, production and a loopback HOST', () => {
    expect(metricsAccessOf({ METRICS_TOKEN: TOKEN, NODE_ENV: 'production', HOST: '0.0.0.0' })).toEqual({
      token: TOKEN,
    });
    expect(metricsAccessOf({ NODE_ENV: 'production', HOST: '127.0.0.1' })).toBe('closed');
    expect(metricsAccessOf({ NODE_ENV: 'development', HOST: '127.0.0.1' })).toBe('open');
    expect(metricsAccessOf({ NODE_ENV: 'development', HOST: '::1' })).toBe('open');
    expect(metricsAccessOf({ NODE_ENV: 'development', HOST: '0.0.0.0' })).toBe('closed');
  });

  it('still answers when the database is down: the gauges keep their values and the failure is counted', async () => {
    const down = await testDatabases[0]!.open();
    const app = testApp(down.db, { metricsAccess: 'open' });
    await down.close();
    const first = await scrape(app);
    expect(first.status).toBe(200);
    await first.text();
    const text = await (await scrape(app)).text();
    expect(seriesValue(text, 'tas_metrics_collect_errors_total{source="database"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(seriesValue(text, 'tas_metrics_collect_errors_total{source="edge"}')).toBe(0);
  });

  it('keeps the apps apart: each counts in its own registry', async () => {
    const a = testApp(handle.db, { metricsAccess: 'open' });
    const b = testApp(handle.db, { metricsAccess: 'open' });
    await a.request('/healthz');
    await a.request('/healthz');
    const series = 'tas_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}';
    expect(seriesValue(await (await scrape(a)).text(), series)).toBe(2);
    expect(seriesValue(await (await scrape(b)).text(), series)).toBeUndefined();
  });
});
