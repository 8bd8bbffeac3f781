import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { THROTTLE } from './login-throttle.ts';

describe.each(testDatabases)('login throttle against a hostile client on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    // As behind one proxy that appends the address it saw to X-Forwarded-For.
    app = testApp(handle.db, { trustedIpHeader: 'x-forwarded-for' });
  });
  afterAll(() => handle.close());

  const login = (email: string, password: string, forwardedFor: string) =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });

  it('counts a client by the address its proxy saw, whatever it writes in X-Forwarded-For', async () => {
    const email = uniqueEmail('xff-target');
    await signUp(app, 'advertiser', email);
    const attacker = '203.0.113.77';
    for (let i = 0; i < THROTTLE.freePairFailures; i++) {
      // A new made-up address in front of each guess, as if it were another client.
      const r = await login(email, `guess ${i}`, `192.0.2.${i + 1}, ${attacker}`);
      expect(r.status).toBe(401);
    }
    const blocked = await login(email, PASSWORD, `192.0.2.200, ${attacker}`);
    expect(blocked.status).toBe(429);
    // Someone else behind the same proxy is not affected.
    expect((await login(email, PASSWORD, `203.0.113.78`)).status).toBe(200);
  });
});
