import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, logIn, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { THROTTLE } from './login-throttle.ts';

describe.each(testDatabases)('/api/v1/auth own account access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const routes: [string, string, unknown][] = [
    ['GET', '/api/v1/auth/sessions', undefined],
    ['DELETE', `/api/v1/auth/sessions/${crypto.randomUUID()}`, undefined],
    ['PATCH', '/api/v1/auth/me', { firstName: 'Mallory' }],
    ['POST', '/api/v1/auth/change-password', { currentPassword: PASSWORD, newPassword: 'taken over now!' }],
  ];

  it('is for a logged-in person only: no credential is 401, an API key 403', async () => {
    const email = uniqueEmail('keyed');
    const owner = await signUp(app, 'affiliate', email);
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: owner.accessToken,
      body: { name: 'k', scopes: ['offers:read'] },
    });
    const { key } = (await created.json()) as { key: string };
    for (const [method, path, body] of routes) {
      const anonymous = await call(app, method, path, { body });
      expect([anonymous.status, await errorCode(anonymous)], path).toEqual([401, 'unauthorized']);
      const withKey = await call(app, method, path, { token: key, body });
      expect([withKey.status, await errorCode(withKey)], path).toEqual([403, 'forbidden']);
    }
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: owner.accessToken });
    expect(await me.json()).toMatchObject({ firstName: null });
    // The password is the one it was: the key changed nothing.
    expect((await logIn(app, email, PASSWORD)).userId).toBe(owner.userId);
  });

  it("neither lists nor ends someone else's sessions", async () => {
    const victim = await signUp(app, 'advertiser');
    const attacker = await signUp(app, 'advertiser');
    const victimSessions = (await (
      await call(app, 'GET', '/api/v1/auth/sessions', { token: victim.accessToken })
    ).json()) as { data: { id: string }[] };
    const attackerSessions = (await (
      await call(app, 'GET', '/api/v1/auth/sessions', { token: attacker.accessToken })
    ).json()) as { data: { id: string }[] };
    expect(attackerSessions.data.map((s) => s.id)).not.toContain(victimSessions.data[0]?.id);
    const ended = await call(app, 'DELETE', `/api/v1/auth/sessions/${victimSessions.data[0]?.id}`, {
      token: attacker.accessToken,
    });
    expect([ended.status, await errorCode(ended)]).toEqual([404, 'not_found']);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: victim.accessToken })).status).toBe(200);
  });

  it('slows down guesses of the current password as it does logins, from a stolen session too', async () => {
    const email = uniqueEmail('guessed');
    const stolen = await signUp(app, 'affiliate', email);
    const attacker = '203.0.113.77';
    for (let i = 0; i < THROTTLE.freePairFailures; i++) {
      const response = await call(app, 'POST', '/api/v1/auth/change-password', {
        token: stolen.accessToken,
        ip: attacker,
        body: { currentPassword: `guess ${i}`, newPassword: 'taken over now!' },
      });
      expect(response.status).toBe(401);
    }
    const blocked = await call(app, 'POST', '/api/v1/auth/change-password', {
      token: stolen.accessToken,
      ip: attacker,
      body: { currentPassword: PASSWORD, newPassword: 'taken over now!' },
    });
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The password did not change, and the owner logs in as before.
    expect((await logIn(app, email, PASSWORD, '198.51.100.9')).userId).toBe(stolen.userId);
  });
});
