import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/invoices errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let token: string;
  beforeAll(async () => {
    handle = await open();
    // No processors: Stripe is not configured.
    app = testApp(handle.db);
    token = (await adminSession(app, handle.db)).accessToken;
  });
  afterAll(() => handle.close());

  it('refuses malformed requests', async () => {
    for (const body of [{ dryRun: 'no' }, { advertiserId: 0 }, { advertiserId: 2 ** 31 }]) {
      const response = await call(app, 'POST', '/api/v1/invoices/run', { token, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const malformed = await call(app, 'POST', '/api/v1/invoices/run', { token, rawBody: '{' });
    expect(malformed.status).toBe(400);
    for (const query of ['after=not-a-uuid', 'status=late', 'currency=usd', 'limit=0', 'advertiserId=x']) {
      const response = await call(app, 'GET', `/api/v1/invoices?${query}`, { token });
      expect([response.status, await errorCode(response)], query).toEqual([400, 'invalid_request']);
    }
    expect((await call(app, 'GET', '/api/v1/invoices/42', { token })).status).toBe(400);
  });

  it('answers 404 for an invoice that does not exist', async () => {
    const response = await call(app, 'GET', '/api/v1/invoices/01900000-0000-7000-8000-000000000000', {
      token,
    });
    expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
  });

  it('previews without Stripe, but applies a run only when Stripe is configured', async () => {
    const preview = await call(app, 'POST', '/api/v1/invoices/run', { token, body: { dryRun: true } });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toEqual({ dryRun: true, decisions: [], issued: [] });
    const applied = await call(app, 'POST', '/api/v1/invoices/run', { token, body: { dryRun: false } });
    expect([applied.status, await errorCode(applied)]).toEqual([503, 'processor_not_configured']);
  });
});
