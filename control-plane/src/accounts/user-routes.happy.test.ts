import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  call,
  errorCode,
  logIn,
  PASSWORD,
  signUp,
  uniqueEmail,
} from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/users/{id} on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('disables a user, ending its sessions and refusing its logins, and enables it again', async () => {
    const admin = await adminSession(app, handle.db);
    const email = uniqueEmail('victim');
    const user = await signUp(app, 'affiliate', email);
    const disabled = await call(app, 'PATCH', `/api/v1/users/${user.userId}`, {
      token: admin.accessToken,
      body: { isActive: false },
    });
    expect(await disabled.json()).toMatchObject({ id: user.userId, isActive: false });
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(401);
    const refresh = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const login = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect([login.status, await errorCode(login)]).toEqual([403, 'forbidden']);

    await call(app, 'PATCH', `/api/v1/users/${user.userId}`, {
      token: admin.accessToken,
      body: { isActive: true },
    });
    expect((await logIn(app, email)).userId).toBe(user.userId);
  });

  it("changes a user's role at once, revoking the keys made under the old one, and audits it", async () => {
    const admin = await adminSession(app, handle.db);
    const affiliate = await signUp(app, 'affiliate');
    const key = (
      (await (
        await call(app, 'POST', '/api/v1/api-keys', {
          token: affiliate.accessToken,
          body: { name: 'k', scopes: ['offers:read'] },
        })
      ).json()) as { key: string }
    ).key;
    expect((await call(app, 'GET', '/api/v1/users', { token: affiliate.accessToken })).status).toBe(403);
    const promoted = await call(app, 'PATCH', `/api/v1/users/${affiliate.userId}`, {
      token: admin.accessToken,
      body: { role: 'admin' },
    });
    expect(await promoted.json()).toMatchObject({ role: 'admin', affiliateId: null, isActive: true });
    // The same session is an admin from its next request; the key is gone.
    expect((await call(app, 'GET', '/api/v1/users', { token: affiliate.accessToken })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(401);
    // Back to the affiliate it is the login of.
    const demoted = await call(app, 'PATCH', `/api/v1/users/${affiliate.userId}`, {
      token: admin.accessToken,
      body: { role: 'affiliate' },
    });
    expect(await demoted.json()).toMatchObject({ role: 'affiliate', affiliateId: affiliate.affiliateId });
    expect((await call(app, 'GET', '/api/v1/users', { token: affiliate.accessToken })).status).toBe(403);
    const audit = (await (
      await call(app, 'GET', '/api/v1/audit-events?action=user.role_changed', { token: admin.accessToken })
    ).json()) as { data: { subjectId: string; detail: unknown }[] };
    expect(audit.data.filter((e) => e.subjectId === affiliate.userId).map((e) => e.detail)).toEqual([
      { from: 'admin', to: 'affiliate', revokedApiKeys: 0 },
      { from: 'affiliate', to: 'admin', revokedApiKeys: 1 },
    ]);
  });
});
