import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, logIn, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { CLIENT_IP_HEADER, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type OwnSession = { id: string; current: boolean; ip: string | null; userAgent: string | null };

describe.each(testDatabases)('/api/v1/auth own account on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const logInFrom = async (email: string, ip: string, userAgent: string) => {
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: ip, 'user-agent': userAgent },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const body = (await response.json()) as { tokens: { accessToken: string } };
    return body.tokens.accessToken;
  };

  it('lists your open sessions with where they came from, and ends one of them', async () => {
    const email = uniqueEmail('sessions');
    await signUp(app, 'affiliate', email);
    const phone = await logInFrom(email, '198.51.100.20', 'Mozilla/5.0 (iPhone)');
    const laptop = await logInFrom(email, '198.51.100.21', 'Mozilla/5.0 (Macintosh)');

    const listed = await call(app, 'GET', '/api/v1/auth/sessions', { token: laptop });
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as { data: OwnSession[] };
    expect(data).toHaveLength(3);
    expect(data.filter((s) => s.current)).toEqual([
      expect.objectContaining({ ip: '198.51.100.21', userAgent: 'Mozilla/5.0 (Macintosh)' }),
    ]);
    const phoneSession = data.find((s) => s.userAgent === 'Mozilla/5.0 (iPhone)');
    expect(phoneSession).toMatchObject({ ip: '198.51.100.20', current: false });

    const ended = await call(app, 'DELETE', `/api/v1/auth/sessions/${phoneSession?.id}`, { token: laptop });
    expect(ended.status).toBe(204);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: phone })).status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: laptop })).status).toBe(200);
    const after = (await (await call(app, 'GET', '/api/v1/auth/sessions', { token: laptop })).json()) as {
      data: OwnSession[];
    };
    expect(after.data.map((s) => s.id)).not.toContain(phoneSession?.id);
  });

  it('changes your name, and clears it with an empty one', async () => {
    const session = await signUp(app, 'advertiser');
    const changed = await call(app, 'PATCH', '/api/v1/auth/me', {
      token: session.accessToken,
      body: { firstName: '  Ada ', lastName: 'Lovelace' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'advertiser',
    });
    const cleared = await call(app, 'PATCH', '/api/v1/auth/me', {
      token: session.accessToken,
      body: { lastName: '' },
    });
    expect(await cleared.json()).toMatchObject({ firstName: 'Ada', lastName: null });
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: session.accessToken });
    expect(await me.json()).toMatchObject({ firstName: 'Ada', lastName: null });
  });

  it('changes your password with the current one, ending your other sessions only', async () => {
    const email = uniqueEmail('password');
    const other = await signUp(app, 'affiliate', email);
    const current = await logIn(app, email);
    const newPassword = 'a brand new passphrase';
    const changed = await call(app, 'POST', '/api/v1/auth/change-password', {
      token: current.accessToken,
      body: { currentPassword: PASSWORD, newPassword },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ revokedSessions: 1 });
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: other.accessToken })).status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: current.accessToken })).status).toBe(200);
    const oldLogin = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect(oldLogin.status).toBe(401);
    expect((await logIn(app, email, newPassword)).userId).toBe(current.userId);
  });
});
