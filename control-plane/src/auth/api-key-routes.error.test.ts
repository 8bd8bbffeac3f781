import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/api-keys refusals on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let clock = new Date();
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => clock });
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  it('refuses an expiry in the past or not a time', async () => {
    for (const expiresAt of [new Date(clock.getTime() - 1000).toISOString(), 'tomorrow']) {
      const response = await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'old', scopes: ['offers:read'], expiresAt },
      });
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
    }
  });

  it('refuses an expired key, saying it expired', async () => {
    const expiresAt = new Date(clock.getTime() + 60_000).toISOString();
    const { key } = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'brief', scopes: ['offers:read'], expiresAt },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(200);
    clock = new Date(clock.getTime() + 61_000);
    const refused = await call(app, 'GET', '/api/v1/offers', { token: key });
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({
      code: 'unauthorized',
      message: `This API key expired on ${expiresAt}.`,
      requestId: expect.any(String),
    });
  });

  it('refuses a revoked key, saying it was revoked', async () => {
    const { key, apiKey } = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'to revoke', scopes: ['offers:read'] },
      })
    ).json()) as { key: string; apiKey: { id: string } };
    await call(app, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { token: admin.accessToken });
    const refused = await call(app, 'GET', '/api/v1/offers', { token: key });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /was revoked on/,
    );
  });
});
