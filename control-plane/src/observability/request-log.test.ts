import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, PASSWORD } from '../../test/api-client.ts';
import { createTestOffer } from '../../test/fixtures.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPostgres } from '../../test/test-databases.ts';
import { clickEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createLogger } from './logger.ts';

type Line = Record<string, unknown>;

/** An app whose log lines are kept, parsed, in `lines`. */
function loggedApp(handle: DatabaseHandle) {
  const lines: Line[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: {
      write(chunk: string) {
        raw.push(chunk);
        lines.push(JSON.parse(chunk) as Line);
      },
    },
  });
  return { app: testApp(handle.db, { logger }), lines, raw };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request log and request id', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestPostgres();
  });
  afterAll(() => handle.close());

  it('writes one JSON line per request with method, route pattern, status, ms and request id (probes at debug)', async () => {
    const { app, lines } = loggedApp(handle);
    const response = await app.request('/healthz', { headers: { 'x-request-id': 'probe-1' } });
    expect(response.headers.get('x-request-id')).toBe('probe-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'debug',
      msg: 'request',
      service: 'control-plane',
      requestId: 'probe-1',
      method: 'GET',
      route: '/healthz',
      status: 200,
    });
    expect(typeof lines[0]!.ms).toBe('number');
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('carries the edge batch id through the ingest, with its counts', async () => {
    const { app, lines } = loggedApp(handle);
    const offer = await createTestOffer(handle.db);
    const batch = { events: [await clickEvent({ offerId: offer.id, affiliateId: 9 })] };
    const init = await signedIngest(batch);
    const headers = new Headers(init.headers);
    headers.set('x-request-id', 'q-0123abcd.1');
    const response = await app.request('/internal/ingest', { ...init, headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('q-0123abcd.1');
    expect(lines.at(-1)).toMatchObject({
      level: 'info',
      requestId: 'q-0123abcd.1',
      route: '/internal/ingest',
      status: 200,
      ingest: { received: 1, clicksInserted: 1, conversionsInserted: 0, quarantined: 0 },
    });
  });

  it('generates an id when none (or an unusable one) is sent, and the error body carries the same id', async () => {
    const { app, lines } = loggedApp(handle);
    const missing = await app.request('/no/such/thing');
    const id = missing.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(((await missing.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
    expect(lines.at(-1)).toMatchObject({ requestId: id, route: 'unmatched', status: 404 });

    const injected = await app.request('/healthz', {
      headers: { 'x-request-id': 'x" "level":"fatal' },
    });
    expect(injected.headers.get('x-request-id')).toMatch(UUID);
    const long = await app.request('/healthz', { headers: { 'x-request-id': 'a'.repeat(200) } });
    expect(long.headers.get('x-request-id')).toMatch(UUID);
  });

  it('names the principal by id and never writes passwords, tokens, cookies or query secrets', async () => {
    const { app, lines, raw } = loggedApp(handle);
    const admin = await adminSession(app, handle.db);
    const secretQuery = 'query-secret-0123456789';
    const response = await app.request(`/api/v1/system/status?minutes=5&token=${secretQuery}`, {
      headers: {
        authorization: `Bearer ${admin.accessToken}`,
        cookie: 'session=cookie-secret-0123456789',
        'x-test-client-ip': '198.51.100.7',
      },
    });
    expect(response.status).toBe(200);
    const failed = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.test', password: 'wrong-password-0123456789' },
    });
    expect(failed.status).toBe(401);

    const status = lines.find((l) => String(l.route).includes('/system/status'));
    expect(status).toMatchObject({
      status: 200,
      principal: { userId: admin.userId, role: 'admin', via: 'session' },
    });
    const all = raw.join('\n');
    for (const secret of [
      admin.accessToken,
      admin.refreshToken,
      PASSWORD,
      'wrong-password-0123456789',
      secretQuery,
      'cookie-secret-0123456789',
      'nobody@example.test',
    ]) {
      expect(all).not.toContain(secret);
    }
    // Routes are patterns: no path (ids, reset tokens) and no query string.
    expect(all).not.toContain('?');
  });
});
