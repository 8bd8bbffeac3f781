import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { loginThrottles } from '../db/schema/login-throttles.ts';
import { THROTTLE } from './login-throttle.ts';
import { throttleAddress } from './throttle-address.ts';

/** How many of `responses` were each answer (status and code), e.g. { '401 invalid_credentials': 5 }. */
async function tally(responses: Response[]) {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = `${r.status} ${await errorCode(r)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe.each(testDatabases)('login throttle against a hostile client on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let proxied: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    // A fixed clock: a burst's waits must not run out while it is still arriving on a slow machine.
    const clock = new Date();
    app = testApp(handle.db, { now: () => clock });
    // As behind one proxy that appends the address it saw to X-Forwarded-For.
    proxied = testApp(handle.db, { trustedIpHeader: 'x-forwarded-for' });
  });
  afterAll(() => handle.close());

  const login = (email: string, password: string, forwardedFor: string) =>
    proxied.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email, password }),
    });

  it('counts a client by the address its proxy saw, whatever it writes in X-Forwarded-For', async () => {
    const email = uniqueEmail('xff-target');
    await signUp(proxied, 'advertiser', email);
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

  it('verifies no more guesses than the limit when they all arrive at once', async () => {
    const email = uniqueEmail('burst-target');
    await signUp(app, 'advertiser', email);
    const burst = THROTTLE.freePairFailures + 15;
    const responses = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        call(app, 'POST', '/api/v1/auth/login', {
          ip: '203.0.113.150',
          body: { email, password: `burst guess ${i}` },
        }),
      ),
    );
    // Each guess past the limit was refused before its password was checked.
    expect(await tally(responses)).toEqual({
      '401 invalid_credentials': THROTTLE.freePairFailures,
      '429 rate_limited': burst - THROTTLE.freePairFailures,
    });
  });

  it('lets no more guesses than the per-ip ceiling through when they arrive at once across accounts', async () => {
    const ip = '203.0.113.151';
    const left = 3;
    // The address has used all but `left` failures of its window.
    await handle.db.insert(loginThrottles).values({
      key: `ip:${throttleAddress(ip)}`,
      failures: THROTTLE.ipFailuresPerWindow - left,
      windowStartedAt: new Date(Date.now() - 60_000),
    });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(app, 'POST', '/api/v1/auth/login', { ip, body: { email: `n${i}@burst.test`, password: 'x' } }),
      ),
    );
    expect(await tally(responses)).toEqual({
      '401 invalid_credentials': left,
      '429 rate_limited': 12 - left,
    });
  });

  it('does not count a right password against the address, nor keep an earlier backoff', async () => {
    const email = uniqueEmail('burst-owner');
    await signUp(app, 'advertiser', email);
    const ip = '203.0.113.152';
    for (let i = 0; i < THROTTLE.freePairFailures - 1; i++) {
      await call(app, 'POST', '/api/v1/auth/login', { ip, body: { email, password: `typo ${i}` } });
    }
    const ok = await call(app, 'POST', '/api/v1/auth/login', { ip, body: { email, password: PASSWORD } });
    expect(ok.status).toBe(200);
    // The success cleared the pair: as many failures as before are free again.
    for (let i = 0; i < THROTTLE.freePairFailures; i++) {
      const r = await call(app, 'POST', '/api/v1/auth/login', {
        ip,
        body: { email, password: `again ${i}` },
      });
      expect(r.status).toBe(401);
    }
    const [row] = await handle.db
      .select()
      .from(loginThrottles)
      .where(eq(loginThrottles.key, `ip:${ip}`));
    // Failures only: the successful attempt was given back.
    expect(row?.failures).toBe(2 * THROTTLE.freePairFailures - 1);
  });
});
