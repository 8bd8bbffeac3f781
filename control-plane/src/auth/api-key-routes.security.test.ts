import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('API keys of users who leave on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const newKey = async (token: string) =>
    (
      (await (
        await call(app, 'POST', '/api/v1/api-keys', { token, body: { name: 'k', scopes: ['offers:read'] } })
      ).json()) as { key: string }
    ).key;

  it('revokes the keys of a disabled user for good: enabling again does not bring them back', async () => {
    const admin = await adminSession(app, handle.db);
    const affiliate = await signUp(app, 'affiliate');
    const key = await newKey(affiliate.accessToken);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(200);
    const disabled = await call(app, 'PATCH', `/api/v1/users/${affiliate.userId}`, {
      token: admin.accessToken,
      body: { isActive: false },
    });
    expect(disabled.status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(401);
    await call(app, 'PATCH', `/api/v1/users/${affiliate.userId}`, {
      token: admin.accessToken,
      body: { isActive: true },
    });
    const refused = await call(app, 'GET', '/api/v1/offers', { token: key });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    const audit = (await (
      await call(app, 'GET', `/api/v1/audit-events?actor=${admin.userId}`, { token: admin.accessToken })
    ).json()) as { data: { action: string; subjectId: string; detail: Record<string, unknown> }[] };
    const ofUser = audit.data.filter((e) => e.subjectId === affiliate.userId);
    expect(ofUser.map((e) => [e.action, e.detail])).toEqual([
      ['user.enabled', {}],
      ['user.disabled', { revokedSessions: 1, revokedApiKeys: 1 }],
    ]);
  });

  it('signs a user out everywhere: every session, this one too, and every key', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const keys = [await newKey(advertiser.accessToken), await newKey(advertiser.accessToken)];
    const answer = await call(app, 'POST', '/api/v1/auth/logout-everywhere', {
      token: advertiser.accessToken,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ revokedSessions: 1, revokedApiKeys: 2 });
    for (const token of [...keys, advertiser.accessToken]) {
      expect((await call(app, 'GET', '/api/v1/offers', { token })).status).toBe(401);
    }
    const refresh = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: advertiser.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('lets no API key sign its user out everywhere', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const key = await newKey(affiliate.accessToken);
    const refused = await call(app, 'POST', '/api/v1/auth/logout-everywhere', { token: key });
    expect(refused.status).toBe(403);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(200);
  });
});
