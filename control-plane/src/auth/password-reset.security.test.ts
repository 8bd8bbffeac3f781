import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, errorCode, signUp, uniqueEmail } from '../../test/api-client.ts';
import { sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { MAIL_THROTTLE } from './mail-throttle.ts';
import { hashPassword } from './passwords.ts';

// The real argon2, counted: a refused reset must not have paid for a hash.
vi.mock('./passwords.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./passwords.ts')>();
  return { ...original, hashPassword: vi.fn(original.hashPassword) };
});

describe.each(testDatabases)('/api/v1/auth/password-reset against a hostile client on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    // A fixed clock: Retry-After is compared as a number of seconds.
    const clock = new Date();
    app = testApp(handle.db, { now: () => clock });
  });
  afterAll(() => handle.close());

  const requestReset = (email: string, ip: string) =>
    call(app, 'POST', '/api/v1/auth/password-reset', { body: { email }, ip });
  const resetMailsTo = (email: string) =>
    sentMail(app).filter((m) => m.to === email && /reset-password\?token=/.test(m.text));
  const answers = async (email: string, ips: (i: number) => string, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await requestReset(email, ips(i));
      out.push(
        r.status === 202 ? '202' : `${r.status} ${await errorCode(r)} ${r.headers.get('retry-after')}`,
      );
    }
    return out;
  };

  it('mails one inbox no more than the per-address limit, from however many addresses', async () => {
    const email = uniqueEmail('reset-bombed');
    await signUp(app, 'advertiser', email);
    const n = MAIL_THROTTLE.perAddress + 3;
    const got = await answers(email, (i) => `192.0.2.${10 + i}`, n);
    expect(got.slice(0, MAIL_THROTTLE.perAddress)).toEqual(Array(MAIL_THROTTLE.perAddress).fill('202'));
    expect(got.slice(MAIL_THROTTLE.perAddress)).toEqual(
      Array(3).fill(`429 rate_limited ${MAIL_THROTTLE.windowSeconds}`),
    );
    expect(resetMailsTo(email)).toHaveLength(MAIL_THROTTLE.perAddress);
    // An address without an account is answered exactly alike: the limit tells nothing.
    expect(await answers(uniqueEmail('reset-ghost'), (i) => `192.0.2.${40 + i}`, n)).toEqual(got);
  });

  it('lets one client ask for no more resets than the per-ip limit, across addresses', async () => {
    const ip = '198.51.100.201';
    for (let i = 0; i < MAIL_THROTTLE.perIp; i++) {
      expect((await requestReset(uniqueEmail(`reset-spray${i}`), ip)).status).toBe(202);
    }
    const email = uniqueEmail('reset-sprayed');
    await signUp(app, 'affiliate', email);
    const refused = await requestReset(email, ip);
    expect([refused.status, await errorCode(refused)]).toEqual([429, 'rate_limited']);
    expect(resetMailsTo(email)).toHaveLength(0);
    // The owner, from elsewhere, still gets a link.
    expect((await requestReset(email, '198.51.100.202')).status).toBe(202);
    expect(resetMailsTo(email)).toHaveLength(1);
  });

  it('checks the token before hashing the new password', async () => {
    const calls = vi.mocked(hashPassword).mock.calls.length;
    const response = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: 'A'.repeat(43), password: 'a new passphrase nobody may set' },
    });
    expect([response.status, await errorCode(response)]).toEqual([401, 'invalid_token']);
    expect(vi.mocked(hashPassword).mock.calls.length).toBe(calls);
  });
});
