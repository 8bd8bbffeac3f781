import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/users/{id} access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('lets only admins in a session disable users', async () => {
    const admin = await adminSession(app, handle.db);
    const target = await signUp(app, 'affiliate');
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'k', scopes: ['affiliates:write'] },
      })
    ).json()) as { key: string };
    const callers: [string | undefined, number][] = [
      [undefined, 401],
      [(await signUp(app, 'affiliate')).accessToken, 403],
      [(await signUp(app, 'advertiser')).accessToken, 403],
      [key.key, 403],
    ];
    for (const [token, status] of callers) {
      const response = await call(app, 'PATCH', `/api/v1/users/${target.userId}`, {
        token,
        body: { isActive: false },
      });
      expect(response.status).toBe(status);
      expect(['unauthorized', 'forbidden']).toContain(await errorCode(response));
    }
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: target.accessToken })).status).toBe(200);
  });

  it('lets nobody but an admin change a role, least of all their own', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const advertiser = await signUp(app, 'advertiser');
    for (const [token, target] of [
      [affiliate.accessToken, affiliate.userId],
      [advertiser.accessToken, affiliate.userId],
    ] as const) {
      const response = await call(app, 'PATCH', `/api/v1/users/${target}`, {
        token,
        body: { role: 'admin' },
      });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
    }
    const me = (await (
      await call(app, 'GET', '/api/v1/auth/me', { token: affiliate.accessToken })
    ).json()) as {
      role: string;
    };
    expect(me.role).toBe('affiliate');
  });
});
