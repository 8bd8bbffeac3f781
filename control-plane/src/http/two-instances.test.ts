import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, errorCode, logIn, PASSWORD, uniqueEmail } from '../../test/api-client.ts';
import { conversionBatch, ingest, postbackWorld } from '../../test/postback-setup.ts';
import { reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase } from '../../test/test-databases.ts';
import { createUser } from '../accounts/account-service.ts';
import { connectPostgres, type DatabaseHandle } from '../db/database.ts';
import { postbackAttempts, postbackDeliveries } from '../db/schema/postback-configs.ts';
import { processDueDeliveries } from '../postbacks/postback-outbox.ts';
import { windowStartOf } from './rate-limit/rate-window.ts';

/*
 * Two control-plane instances on one PostgreSQL database, each with its own pool, as a network runs
 * them behind a load balancer (issue 13): a user's CSV export slot, an affiliate's bulk-replay
 * limit and the API rate limits (issue 14) hold across both, and both outbox workers running at once send each postback once.
 */
describe('two control-plane instances on one database', () => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let a: ReturnType<typeof testApp>;
  let b: ReturnType<typeof testApp>;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;

  beforeAll(async () => {
    const url = await createTestPostgresDatabase();
    first = connectPostgres(url, { driver: 'pg' });
    second = connectPostgres(url, { driver: 'pg' });
    a = testApp(first.db);
    b = testApp(second.db);
    endpoint = await startAffiliateEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await first.close();
    await second.close();
  });

  it("holds a user's CSV export slot across instances, and frees it when the export ends", async () => {
    const world = await reportWorld(a, first.db);
    const csv = `/api/v1/reports?from=2026-11-19&to=2026-11-22&format=csv&groupBy=sub1`;
    const running = await call(a, 'GET', csv, { token: world.admin.accessToken });
    expect(running.status).toBe(200);
    // The first export is still open (its body not read): the other instance refuses the same user.
    const refused = await call(b, 'GET', csv, { token: world.admin.accessToken });
    expect([refused.status, await errorCode(refused)]).toEqual([429, 'rate_limited']);
    expect(refused.headers.get('retry-after')).toBe('10');
    // Another user is not held back by it.
    const other = await call(b, 'GET', csv, { token: world.adv1.accessToken });
    expect(other.status).toBe(200);
    await other.text();
    await running.text();
    // Released at the end of the stream, without waiting for the lease.
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      const response = await call(b, 'GET', csv, { token: world.admin.accessToken });
      again = response.status;
      await response.text();
      if (again !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again).toBe(200);
  });

  it("limits an affiliate's applied bulk replays across instances", async () => {
    const world = await postbackWorld(a, first.db, { url: `${endpoint.url}/ok` });
    const body = { states: ['failed'], dryRun: false };
    const token = world.affiliate.accessToken;
    expect((await call(a, 'POST', '/api/v1/postback-deliveries/replay', { token, body })).status).toBe(200);
    const refused = await call(b, 'POST', '/api/v1/postback-deliveries/replay', { token, body });
    expect([refused.status, await errorCode(refused)]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
  });

  it("holds a user's and an address's rate limit across instances: together they never let more through", async () => {
    // 5 s into a window on both instances' clocks: the burst cannot straddle two windows.
    const clock = new Date(windowStartOf(new Date()).getTime() + 5_000);
    const limits = { apiKeyPerMinute: 0, userPerMinute: 10, ipPerMinute: 6 };
    const limitedA = testApp(first.db, { rateLimits: limits, now: () => clock });
    const limitedB = testApp(second.db, { rateLimits: limits, now: () => clock });
    const email = uniqueEmail('admin');
    await createUser({ db: first.db }, { email, password: PASSWORD, role: 'admin' });
    const session = await logIn(limitedA, email, PASSWORD, '192.0.2.77');
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(i % 2 ? limitedA : limitedB, 'GET', '/api/v1/auth/me', { token: session.accessToken }),
      ),
    );
    const ok = burst.filter((r) => r.status === 200);
    const refused = burst.filter((r) => r.status === 429);
    expect([ok.length, refused.length]).toEqual([10, 20]);
    // Each accepted request saw its own place in the shared count.
    expect(ok.map((r) => Number(r.headers.get('ratelimit-remaining'))).sort((x, y) => x - y)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    for (const r of burst) {
      expect(r.headers.get('ratelimit-limit')).toBe('10');
      expect(r.headers.get('ratelimit-reset')).toBe('55');
    }
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('55');
      expect(await errorCode(r)).toBe('rate_limited');
    }
    // Anonymous requests from one address: 6 in all, whichever instance they reach.
    const anonymous = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i % 2 ? limitedA : limitedB, 'GET', '/api/v1/offers', { ip: '203.0.113.99' }),
      ),
    );
    expect(anonymous.filter((r) => r.status === 401)).toHaveLength(6);
    expect(anonymous.filter((r) => r.status === 429)).toHaveLength(6);
  });

  it('sends each postback once with both outbox workers running at once', async () => {
    const world = await postbackWorld(a, first.db, { url: `${endpoint.url}/ok?tx={txid}` });
    const batches = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        conversionBatch(world.affiliate, world.offer.id, { txid: `TWO-${i}` }),
      ),
    );
    await ingest(
      a,
      batches.flatMap((x) => x.events),
    );
    endpoint.received.length = 0;
    const outbound = { allowPrivateNetworks: true };
    const policy = { batchSize: 7 };
    for (let round = 0; round < 10; round++) {
      const [x, y] = await Promise.all([
        processDueDeliveries({ db: first.db, outboundPolicy: outbound, policy }),
        processDueDeliveries({ db: second.db, outboundPolicy: outbound, policy }),
      ]);
      if (x.claimed + y.claimed === 0) break;
    }
    const sent = endpoint.received.map((r) => r.url).filter((u) => u.includes('TWO-'));
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
    const deliveries = await first.db
      .select()
      .from(postbackDeliveries)
      .where(eq(postbackDeliveries.postbackConfigId, world.postback.id));
    expect(deliveries.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    const attempts = await first.db
      .select()
      .from(postbackAttempts)
      .where(eq(postbackAttempts.postbackConfigId, world.postback.id));
    expect(attempts).toHaveLength(30);
  });
});
