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
});
