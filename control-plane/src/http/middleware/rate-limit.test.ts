import { MAX_INGEST_BYTES } from '@tas/shared/events';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, logIn, PASSWORD, type Session, uniqueEmail } from '../../../test/api-client.ts';
import { testApp } from '../../../test/test-app.ts';
import { testDatabases } from '../../../test/test-databases.ts';
import { createUser } from '../../accounts/account-service.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { rateWindows } from '../../db/schema/rate-windows.ts';
import { pruneRateWindows, windowStartOf } from '../rate-limit/rate-window.ts';

const limits = { apiKeyPerMinute: 4, userPerMinute: 3, ipPerMinute: 2 };

function rateHeaders(response: Response) {
  return {
    limit: response.headers.get('ratelimit-limit'),
    remaining: response.headers.get('ratelimit-remaining'),
    reset: Number(response.headers.get('ratelimit-reset')),
  };
}

describe.each(testDatabases)('API rate limits on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  // 10 s into a window: a test's requests never straddle two windows.
  let clock = new Date(windowStartOf(new Date()).getTime() + 10_000);
  let admin: Session;
  const adminEmail = uniqueEmail('admin');
  const now = () => clock;
  // Logins are anonymous requests, counted per address: each from an address of its own.
  let logins = 0;
  const logInAdmin = () => logIn(app, adminEmail, PASSWORD, `192.0.2.${++logins}`);

  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { rateLimits: limits, now });
    await createUser({ db: handle.db }, { email: adminEmail, password: PASSWORD, role: 'admin' });
    admin = await logInAdmin();
  });
  afterAll(() => handle.close());
  const nextWindow = () => {
    clock = new Date(windowStartOf(clock).getTime() + 70_000);
  };

  it("counts a user's sessions together, with the RateLimit headers, then 429 with Retry-After", async () => {
    nextWindow();
    const user = await logInAdmin();
    const other = await logInAdmin();
    const answers: Response[] = [];
    for (const session of [user, other, user]) {
      answers.push(await call(app, 'GET', '/api/v1/auth/me', { token: session.accessToken }));
    }
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(answers.map((r) => rateHeaders(r))).toEqual([
      { limit: '3', remaining: '2', reset: 50 },
      { limit: '3', remaining: '1', reset: 50 },
      { limit: '3', remaining: '0', reset: 50 },
    ]);
    expect(answers[0]?.headers.get('ratelimit-policy')).toBe('3;w=60');
    const refused = await call(app, 'GET', '/api/v1/auth/me', { token: other.accessToken });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('50');
    expect(rateHeaders(refused)).toEqual({ limit: '3', remaining: '0', reset: 50 });
    const body = (await refused.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/at most 3 a minute/);
    expect(body.error.requestId).toBeTruthy();
    // The next window starts afresh.
    clock = new Date(clock.getTime() + 50_000);
    const again = await call(app, 'GET', '/api/v1/auth/me', { token: user.accessToken });
    expect([again.status, rateHeaders(again).remaining]).toEqual([200, '2']);
  });

  it('counts each API key apart from its owner and from other keys', async () => {
    nextWindow();
    const created = await Promise.all(
      ['one', 'two'].map(async (name) => {
        const response = await call(app, 'POST', '/api/v1/api-keys', {
          token: admin.accessToken,
          body: { name, scopes: ['offers:read'] },
        });
        return ((await response.json()) as { key: string }).key;
      }),
    );
    const [first, second] = created as [string, string];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await call(app, 'GET', '/api/v1/offers', { token: first })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const other = await call(app, 'GET', '/api/v1/offers', { token: second });
    expect([other.status, rateHeaders(other).limit, rateHeaders(other).remaining]).toEqual([200, '4', '3']);
    // The owner's session has its own count (two requests so far this window: the keys made).
    const own = await call(app, 'GET', '/api/v1/auth/me', { token: admin.accessToken });
    expect([own.status, rateHeaders(own).remaining]).toEqual([200, '0']);
  });

  it('counts requests without a valid credential per client address, made-up keys included', async () => {
    nextWindow();
    const ip = '203.0.113.40';
    const anonymous = await call(app, 'GET', '/api/v1/offers', { ip });
    expect([anonymous.status, rateHeaders(anonymous).limit, rateHeaders(anonymous).remaining]).toEqual([
      401,
      '2',
      '1',
    ]);
    // A key nobody holds buys no counter of its own: it is the address's.
    const forged = await call(app, 'GET', '/api/v1/offers', { ip, token: `tas_${'x'.repeat(43)}` });
    expect([forged.status, rateHeaders(forged).remaining]).toEqual([401, '0']);
    const refused = await call(app, 'POST', '/api/v1/auth/login', {
      ip,
      body: { email: adminEmail, password: 'whatever' },
    });
    expect([refused.status, await errorCode(refused)]).toEqual([429, 'rate_limited']);
    // Another address is not held back.
    const elsewhere = await call(app, 'GET', '/api/v1/offers', { ip: '203.0.113.41' });
    expect([elsewhere.status, rateHeaders(elsewhere).remaining]).toEqual([401, '1']);
  });

  it('leaves the health, readiness, metrics and ingest routes alone', async () => {
    nextWindow();
    for (let i = 0; i < 4; i++) {
      for (const path of ['/healthz', '/readyz']) {
        const response = await app.request(path);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-limit')).toBeNull();
      }
      const ingest = await app.request('/internal/ingest', { method: 'POST', body: '{}' });
      expect(ingest.status).toBe(401);
      expect(ingest.headers.get('ratelimit-limit')).toBeNull();
      const metrics = await app.request('/metrics');
      expect(metrics.status).not.toBe(429);
      // Signed creative files, fetched by affiliates' visitors: verified by their signature instead.
      const asset = await call(
        app,
        'GET',
        '/api/v1/creative-assets/00000000-0000-4000-8000-000000000001/public?sig=x',
        {
          ip: '203.0.113.30',
        },
      );
      expect(asset.status).not.toBe(429);
      expect(asset.headers.get('ratelimit-limit')).toBeNull();
    }
  });

  it('keeps the size limits of the exempt ingest and of /api', async () => {
    nextWindow();
    const ingest = await app.request('/internal/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(MAX_INGEST_BYTES + 1),
    });
    expect([ingest.status, await errorCode(ingest)]).toEqual([413, 'payload_too_large']);
    const api = await call(app, 'POST', '/api/v1/auth/login', {
      ip: '203.0.113.45',
      rawBody: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(1024 * 1024) }),
    });
    expect([api.status, await errorCode(api)]).toEqual([413, 'payload_too_large']);
  });

  it('0 turns a limit off', async () => {
    nextWindow();
    const open = testApp(handle.db, { rateLimits: { ...limits, ipPerMinute: 0 }, now });
    for (let i = 0; i < 4; i++) {
      const response = await call(open, 'GET', '/api/v1/offers', { ip: '203.0.113.50' });
      expect(response.status).toBe(401);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
    }
  });

  it('prunes the counters of callers idle for an hour, and only those', async () => {
    await handle.db.insert(rateWindows).values([
      { key: 'ip:prune-old', windowStart: new Date(clock.getTime() - 2 * 3_600_000), count: 1 },
      { key: 'ip:prune-new', windowStart: windowStartOf(clock), count: 1 },
    ]);
    expect(await pruneRateWindows(handle.db, clock)).toBeGreaterThanOrEqual(1);
    const left = await handle.db.select().from(rateWindows).where(eq(rateWindows.key, 'ip:prune-new'));
    expect(left).toHaveLength(1);
    expect(await handle.db.select().from(rateWindows).where(eq(rateWindows.key, 'ip:prune-old'))).toEqual([]);
  });
});
