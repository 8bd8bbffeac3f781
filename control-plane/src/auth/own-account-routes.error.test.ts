import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, PASSWORD, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/auth own account bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let user: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    user = await signUp(app, 'advertiser');
  });
  afterAll(() => handle.close());

  it('refuses bad names and password changes with 400 and a code, changing nothing', async () => {
    for (const body of [{}, { firstName: 'x'.repeat(101) }, { lastName: 7 }]) {
      const response = await call(app, 'PATCH', '/api/v1/auth/me', { token: user.accessToken, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
    }
    for (const body of [
      {},
      { currentPassword: PASSWORD },
      { currentPassword: PASSWORD, newPassword: 'too short' },
      { currentPassword: '', newPassword: 'long enough passphrase' },
      { currentPassword: PASSWORD, newPassword: PASSWORD },
    ]) {
      const response = await call(app, 'POST', '/api/v1/auth/change-password', {
        token: user.accessToken,
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
    }
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: user.accessToken });
    expect(await me.json()).toMatchObject({ firstName: null, lastName: null });
  });

  it('answers a wrong current password with 401 invalid_credentials, keeping the session', async () => {
    const response = await call(app, 'POST', '/api/v1/auth/change-password', {
      token: user.accessToken,
      body: { currentPassword: 'not the password', newPassword: 'a brand new passphrase' },
      ip: '198.51.100.40',
    });
    expect([response.status, await errorCode(response)]).toEqual([401, 'invalid_credentials']);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: user.accessToken })).status).toBe(200);
  });

  it('answers sessions that are not there with 404, and ids that are not uuids with 400', async () => {
    const unknown = await call(app, 'DELETE', `/api/v1/auth/sessions/${crypto.randomUUID()}`, {
      token: user.accessToken,
    });
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'not_found']);
    const bad = await call(app, 'DELETE', '/api/v1/auth/sessions/42', { token: user.accessToken });
    expect([bad.status, await errorCode(bad)]).toEqual([400, 'invalid_request']);
  });
});
