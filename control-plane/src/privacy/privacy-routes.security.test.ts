import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

const SUBJECT = { subject: { type: 'ip', value: '198.51.100.7' } };

describe.each(testDatabases)('/api/v1/privacy access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('is for admins in a session only: not for advertisers, affiliates, API keys or anyone else', async () => {
    const admin = await adminSession(app, handle.db);
    const advertiser = await signUp(app, 'advertiser');
    const affiliate = await signUp(app, 'affiliate');
    const key = await call(app, 'POST', '/api/v1/api-keys', {
      token: admin.accessToken,
      body: { name: 'admin key', scopes: ['conversions:read', 'reports:read'] },
    });
    const apiKey = ((await key.json()) as { key: string }).key;
    const routes: [string, string, unknown][] = [
      ['POST', '/api/v1/privacy/exports', SUBJECT],
      ['POST', '/api/v1/privacy/erasures', SUBJECT],
      ['GET', '/api/v1/privacy/requests', undefined],
    ];
    for (const [method, path, body] of routes) {
      const anonymous = await call(app, method, path, { body });
      expect([path, anonymous.status, await errorCode(anonymous)]).toEqual([path, 401, 'unauthorized']);
      for (const token of [advertiser.accessToken, affiliate.accessToken, apiKey]) {
        const refused = await call(app, method, path, { token, body });
        expect([path, refused.status, await errorCode(refused)]).toEqual([path, 403, 'forbidden']);
      }
    }
    // Nothing was done or logged for the refused calls.
    const log = await call(app, 'GET', '/api/v1/privacy/requests', { token: admin.accessToken });
    expect(((await log.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('lets no API key delete an account, and keeps the last admin', async () => {
    const admin = await adminSession(app, handle.db);
    const key = await call(app, 'POST', '/api/v1/api-keys', {
      token: admin.accessToken,
      body: { name: 'k', scopes: ['conversions:read'] },
    });
    const apiKey = ((await key.json()) as { key: string }).key;
    const byKey = await call(app, 'POST', '/api/v1/auth/delete-account', {
      token: apiKey,
      body: { password: 'correct horse battery staple' },
    });
    expect(byKey.status).toBe(403);
    const anonymous = await call(app, 'POST', '/api/v1/auth/delete-account', { body: { password: 'x' } });
    expect(anonymous.status).toBe(401);
  });
});
