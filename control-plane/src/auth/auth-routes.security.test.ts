import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { count, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  call,
  errorCode,
  logIn,
  PASSWORD,
  signUp,
  uniqueEmail,
  verificationToken,
} from '../../test/api-client.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { JWT_SECRET, sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { apiKeys } from '../db/schema/api-keys.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { refreshTokens } from '../db/schema/refresh-tokens.ts';
import { sessions } from '../db/schema/sessions.ts';
import { users } from '../db/schema/users.ts';
import { THROTTLE } from './login-throttle.ts';
import { countMailRequest, MAIL_THROTTLE } from './mail-throttle.ts';

describe.each(testDatabases)('/api/v1/auth, api-keys and users security on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let clock = new Date();
  const published: ConfigPublishRequest[] = [];
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, {
      now: () => clock,
      edge: { ...acceptingEdge, publish: async (request) => void published.push(request) },
    });
  });
  afterAll(() => handle.close());

  const protectedRoutes: [string, string][] = [
    ['GET', '/api/v1/auth/me'],
    ['POST', '/api/v1/auth/logout'],
    ['POST', '/api/v1/auth/logout-others'],
    ['GET', '/api/v1/api-keys'],
    ['POST', '/api/v1/api-keys'],
    ['DELETE', `/api/v1/api-keys/${crypto.randomUUID()}`],
    ['GET', '/api/v1/users'],
    ['POST', '/api/v1/users'],
  ];

  const counts = async () => ({
    users: (await handle.db.select({ n: count() }).from(users))[0]?.n,
    advertisers: (await handle.db.select({ n: count() }).from(advertisers))[0]?.n,
    affiliates: (await handle.db.select({ n: count() }).from(affiliates))[0]?.n,
  });
  const register = (email: string, options: { password?: string; role?: string; ip?: string } = {}) =>
    call(app, 'POST', '/api/v1/auth/register', {
      body: {
        email,
        password: options.password ?? PASSWORD,
        role: options.role ?? 'advertiser',
        companyName: 'C',
      },
      ...(options.ip ? { ip: options.ip } : {}),
    });
  const mailsTo = (email: string) => sentMail(app).filter((m) => m.to === email);
  const resend = (email: string, ip?: string) =>
    call(app, 'POST', '/api/v1/auth/resend-verification', { body: { email }, ...(ip ? { ip } : {}) });

  it('answers a sign-up with a taken address exactly as a new one, and mails its owner a notice', async () => {
    const taken = uniqueEmail('taken');
    const owner = await signUp(app, 'advertiser', taken);
    const before = await counts();
    const fresh = await register(uniqueEmail('fresh'));
    const again = await register(taken.toUpperCase(), {
      password: 'the intruder password',
      role: 'affiliate',
    });
    expect(again.status).toBe(fresh.status);
    expect(await again.text()).toBe(await fresh.text());
    expect(again.headers.get('content-type')).toBe(fresh.headers.get('content-type'));
    // One account more (the fresh one), nothing for the taken address.
    expect(await counts()).toEqual({
      ...before,
      users: (before.users ?? 0) + 1,
      advertisers: (before.advertisers ?? 0) + 1,
    });
    const last = mailsTo(taken).at(-1);
    expect(last?.subject).toMatch(/tried to sign up/);
    expect(last?.text).not.toMatch(/token=/);
    expect(last?.text).toContain('http://app.test/');
    // The owner's password and session are untouched.
    expect((await logIn(app, taken)).userId).toBe(owner.userId);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: owner.accessToken })).status).toBe(200);
  });

  it('drops notices beyond the limit while answering the same', async () => {
    const taken = uniqueEmail('bombed');
    await signUp(app, 'advertiser', taken);
    const notices = () => mailsTo(taken).filter((m) => /tried to sign up/.test(m.subject)).length;
    // signUp counted one sign-up already.
    for (let i = 0; i < MAIL_THROTTLE.perAddress + 3; i++) {
      const response = await register(taken, { ip: `203.0.113.${i + 1}` });
      expect(response.status).toBe(202);
    }
    expect(notices()).toBe(MAIL_THROTTLE.perAddress - 1);
  });

  it('creates nothing and mails nothing beyond the per-ip sign-up limit, answering the same', async () => {
    const ip = '192.0.2.150';
    const taken = uniqueEmail('taken-sprayed');
    await signUp(app, 'affiliate', taken);
    const under = Array.from({ length: MAIL_THROTTLE.perIp }, (_, i) => uniqueEmail(`spray${i}`));
    const before = await counts();
    const edgeBefore = published.length;
    for (const email of under) {
      const response = await register(email, { role: 'affiliate', ip });
      expect(response.status).toBe(202);
    }
    // Under the limit every new address has its account, its affiliate at the edge and its link.
    expect(await counts()).toEqual({
      users: (before.users ?? 0) + MAIL_THROTTLE.perIp,
      advertisers: before.advertisers,
      affiliates: (before.affiliates ?? 0) + MAIL_THROTTLE.perIp,
    });
    expect(published.length).toBe(edgeBefore + MAIL_THROTTLE.perIp);
    expect(under.filter((email) => verificationToken(app, email)).length).toBe(MAIL_THROTTLE.perIp);

    const full = await counts();
    const mailsBefore = sentMail(app).length;
    const fresh = uniqueEmail('one-too-many');
    const overNew = await register(fresh, { role: 'affiliate', ip });
    const overTaken = await register(taken, { role: 'affiliate', ip });
    const overAdvertiser = await register(uniqueEmail('one-more'), { role: 'advertiser', ip });
    const answers = await Promise.all(
      [overNew, overTaken, overAdvertiser].map(async (r) => [
        r.status,
        r.headers.get('content-type'),
        r.headers.get('retry-after'),
        await r.text(),
      ]),
    );
    expect(answers).toEqual(Array(3).fill([202, 'application/json', null, '{"status":"verification_sent"}']));
    // Nothing created, published or mailed, for the new addresses as for the taken one.
    expect(await counts()).toEqual(full);
    expect(await handle.db.select().from(users).where(eq(users.email, fresh))).toEqual([]);
    expect(published.length).toBe(edgeBefore + MAIL_THROTTLE.perIp);
    expect(sentMail(app).length).toBe(mailsBefore);

    // Other clients are not affected: the same new address signs up from elsewhere...
    expect((await signUp(app, 'affiliate', fresh)).affiliateId).toEqual(expect.any(Number));
    // ...and the next window gives this one a new allowance.
    clock = new Date(clock.getTime() + MAIL_THROTTLE.windowSeconds * 1000);
    try {
      const later = uniqueEmail('next-window');
      expect((await register(later, { ip })).status).toBe(202);
      expect(await handle.db.select().from(users).where(eq(users.email, later))).toHaveLength(1);
      expect(verificationToken(app, later)).toBeDefined();
    } finally {
      clock = new Date();
    }
  });

  it('creates nothing for a new address over its own sign-up limit', async () => {
    const email = uniqueEmail('address-limit');
    // As if earlier sign-ups for it had been rolled back (the edge was down), from many ips.
    for (let i = 0; i < MAIL_THROTTLE.perAddress; i++) {
      expect(await countMailRequest(handle.db, 'sign-up', email, `192.0.2.${160 + i}`, clock)).toBe(0);
    }
    const before = await counts();
    const response = await register(email, { ip: '192.0.2.170' });
    expect([response.status, await response.json()]).toEqual([202, { status: 'verification_sent' }]);
    expect(await counts()).toEqual(before);
    expect(mailsTo(email)).toEqual([]);
  });

  it("keeps an account signed up in someone else's name from them: the link alone logs nobody in", async () => {
    const victim = uniqueEmail('victim');
    const attackerPassword = 'the attacker knows this one';
    const signedUp = await register(victim, {
      password: attackerPassword,
      role: 'affiliate',
      ip: '203.0.113.200',
    });
    expect(signedUp.status).toBe(202);
    const token = verificationToken(app, victim);
    expect(token).toBeDefined();
    expect(mailsTo(victim).at(-1)?.text).toMatch(/password reset/);
    const [account] = await handle.db.select().from(users).where(eq(users.email, victim));
    const verify = (body: object) => call(app, 'POST', '/api/v1/auth/verify-email', { body });

    // The owner of the inbox follows the link: the token alone is not enough, nor their own password.
    const bare = await verify({ token });
    expect([bare.status, await errorCode(bare)]).toEqual([400, 'invalid_request']);
    const own = await verify({ token, password: PASSWORD });
    expect([own.status, await errorCode(own)]).toEqual([401, 'invalid_credentials']);
    const [still] = await handle.db.select().from(users).where(eq(users.id, account!.id));
    expect(still?.emailVerifiedAt).toBeNull();
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, account!.id))).toEqual([]);
    // Nor can the one who signed up log in without the link.
    const early = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email: victim, password: attackerPassword },
    });
    expect([early.status, await errorCode(early)]).toEqual([403, 'email_not_verified']);

    // The owner takes the account over with a password reset...
    await call(app, 'POST', '/api/v1/auth/password-reset', { body: { email: victim } });
    const reset = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mailsTo(victim).at(-1)?.text ?? '')?.[1];
    const ownerPassword = 'the owner chose this one';
    const confirmed = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: reset, password: ownerPassword },
    });
    expect(confirmed.status).toBe(204);
    // ...after which the other password and the link are worth nothing.
    const late = await verify({ token, password: attackerPassword });
    expect([late.status, await errorCode(late)]).toEqual([400, 'invalid_verification_token']);
    const intruder = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email: victim, password: attackerPassword },
    });
    expect([intruder.status, await errorCode(intruder)]).toEqual([401, 'invalid_credentials']);
    expect((await logIn(app, victim, ownerPassword)).userId).toBe(account!.id);
  });

  it('slows down password guesses through a verification link as for logins', async () => {
    const email = uniqueEmail('leaked-link');
    await register(email);
    const token = verificationToken(app, email);
    const verify = (password: string, ip: string) =>
      call(app, 'POST', '/api/v1/auth/verify-email', { body: { token, password }, ip });
    const guesser = '203.0.113.201';
    for (let i = 0; i < THROTTLE.freePairFailures; i++) {
      expect((await verify(`guess ${i}`, guesser)).status).toBe(401);
    }
    const blocked = await verify(PASSWORD, guesser);
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    // The owner, from their own address, is not affected, and the link still works.
    expect((await verify(PASSWORD, '198.51.100.9')).status).toBe(200);
  });

  it('throttles resends per address alike for every address, and sends only to unverified accounts', async () => {
    const unverified = uniqueEmail('unverified');
    await register(unverified);
    const verified = uniqueEmail('verified');
    await signUp(app, 'affiliate', verified);
    const unknown = uniqueEmail('unknown');
    const links = (email: string) => mailsTo(email).filter((m) => /verify-email/.test(m.text)).length;
    const before = { unverified: links(unverified), verified: links(verified) };
    const ip = '192.0.2.10';
    const answers: Record<string, [number, string | null][]> = {};
    for (const email of [unverified, verified, unknown]) {
      answers[email] = [];
      for (let i = 0; i < MAIL_THROTTLE.perAddress + 1; i++) {
        const response = await resend(email, ip);
        answers[email]!.push([response.status, response.headers.get('retry-after')]);
      }
    }
    const expected = [...Array(MAIL_THROTTLE.perAddress).fill([202, null]), [429, '3600']];
    expect(answers).toEqual({ [unverified]: expected, [verified]: expected, [unknown]: expected });
    expect(links(unverified)).toBe(before.unverified + MAIL_THROTTLE.perAddress);
    expect(links(verified)).toBe(before.verified);
    expect(links(unknown)).toBe(0);
    // A new window, a new allowance.
    clock = new Date(clock.getTime() + MAIL_THROTTLE.windowSeconds * 1000);
    try {
      expect((await resend(unverified, ip)).status).toBe(202);
    } finally {
      clock = new Date();
    }
  });

  it('caps resends from one ip across addresses, not for others', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < MAIL_THROTTLE.perIp; i++) {
      expect((await resend(`spray-${i}@spray.test`, ip)).status).toBe(202);
    }
    const blocked = await resend('one-more@spray.test', ip);
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    expect((await resend('one-more@spray.test', '192.0.2.78')).status).toBe(202);
  });

  it('counts an IPv6 client by its /64, however many addresses in it it uses', async () => {
    for (let i = 0; i < MAIL_THROTTLE.perIp; i++) {
      expect((await resend(`v6-${i}@spray.test`, `2001:db8:77:1::${(i + 1).toString(16)}`)).status).toBe(202);
    }
    const blocked = await resend('v6-more@spray.test', '2001:db8:77:1:ffff::9');
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    expect((await resend('v6-more@spray.test', '2001:db8:77:2::1')).status).toBe(202);
  });

  it('keeps only hashes of verification tokens, and ends their use with a password reset', async () => {
    const email = uniqueEmail('pending');
    await register(email);
    const token = verificationToken(app, email);
    expect(token).toBeDefined();
    expect(JSON.stringify(await handle.db.select().from(emailVerifications))).not.toContain(token);

    await call(app, 'POST', '/api/v1/auth/password-reset', { body: { email } });
    const reset = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mailsTo(email).at(-1)?.text ?? '')?.[1];
    const confirmed = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: reset, password: 'the owner chose this' },
    });
    expect(confirmed.status).toBe(204);
    // The link would open a session the reset did not end.
    const late = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { token, password: PASSWORD },
    });
    expect([late.status, await errorCode(late)]).toEqual([400, 'invalid_verification_token']);
  });

  it('opens no session for a disabled account through its verification link', async () => {
    const email = uniqueEmail('disabled');
    await register(email);
    await handle.db.update(users).set({ isActive: false }).where(eq(users.email, email));
    const response = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { token: verificationToken(app, email), password: PASSWORD },
    });
    expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
  });

  it('refuses every protected route without a valid credential', async () => {
    const session = await signUp(app, 'advertiser');
    const secret = new TextEncoder().encode(JWT_SECRET);
    const claims = { sid: crypto.randomUUID(), role: 'admin' };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(session.userId)
      .setIssuer('tas-control-plane')
      .setAudience('tas-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-0123456789abcdefghij'));
    const unknownSession = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(session.userId)
      .setIssuer('tas-control-plane')
      .setAudience('tas-api')
      .setExpirationTime('1h')
      .sign(secret);
    const [header, payload] = session.accessToken.split('.');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const tamperedRole = `${header}.${Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url')}.${session.accessToken.split('.')[2]}`;
    const credentials = [
      undefined,
      'garbage-token-value',
      forged,
      unknownSession,
      unsigned,
      tamperedRole,
      'tas_notakey0000000',
    ];
    for (const [method, path] of protectedRoutes) {
      for (const token of credentials) {
        const response = await call(app, method, path, { token, body: {} });
        expect(response.status, `${method} ${path} with ${token?.slice(0, 12)}`).toBe(401);
        expect(await errorCode(response)).toBe('unauthorized');
      }
    }
  });

  it('refuses an expired access token', async () => {
    const session = await signUp(app, 'affiliate');
    clock = new Date(Date.now() + 16 * 60 * 1000);
    try {
      expect((await call(app, 'GET', '/api/v1/auth/me', { token: session.accessToken })).status).toBe(401);
    } finally {
      clock = new Date();
    }
  });

  it('ends the whole session when a used refresh token comes back', async () => {
    const stolen = await signUp(app, 'affiliate');
    const first = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: stolen.refreshToken },
    });
    const legit = (await first.json()) as { accessToken: string; refreshToken: string };
    const replay = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: stolen.refreshToken },
    });
    expect([replay.status, await errorCode(replay)]).toEqual([401, 'invalid_token']);
    // Everyone holding tokens of that family is out: the thief and the owner, who logs in again.
    const next = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: legit.refreshToken },
    });
    expect(next.status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: legit.accessToken })).status).toBe(401);
    // Only hashes are stored.
    const stored = await handle.db.select().from(refreshTokens);
    expect(JSON.stringify(stored)).not.toContain(legit.refreshToken);
  });

  it('slows one guesser on one account down without locking the owner out elsewhere', async () => {
    const email = uniqueEmail('target');
    await signUp(app, 'advertiser', email);
    const attacker = '203.0.113.66';
    for (let i = 0; i < THROTTLE.freePairFailures; i++) {
      const r = await call(app, 'POST', '/api/v1/auth/login', {
        ip: attacker,
        body: { email, password: `guess ${i}` },
      });
      expect(r.status).toBe(401);
    }
    const blocked = await call(app, 'POST', '/api/v1/auth/login', {
      ip: attacker,
      body: { email, password: PASSWORD },
    });
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The owner, from their own address, is not affected.
    expect((await logIn(app, email, PASSWORD, '198.51.100.7')).userId).toEqual(expect.any(String));
    // After the wait, the pair may try again.
    clock = new Date(Date.now() + 2_000);
    try {
      const later = await call(app, 'POST', '/api/v1/auth/login', {
        ip: attacker,
        body: { email, password: 'guess again' },
      });
      expect(later.status).toBe(401);
      // ...and each further failure doubles the wait.
      const again = await call(app, 'POST', '/api/v1/auth/login', {
        ip: attacker,
        body: { email, password: PASSWORD },
      });
      expect(Number(again.headers.get('retry-after'))).toBe(2);
    } finally {
      clock = new Date();
    }
  });

  it('caps failures from one address across many accounts', async () => {
    const sprayer = '203.0.113.99';
    for (let i = 0; i < THROTTLE.ipFailuresPerWindow; i++) {
      await call(app, 'POST', '/api/v1/auth/login', {
        ip: sprayer,
        body: { email: `n${i}@spray.test`, password: 'x' },
      });
    }
    const email = uniqueEmail('sprayed');
    await signUp(app, 'affiliate', email);
    const blocked = await call(app, 'POST', '/api/v1/auth/login', {
      ip: sprayer,
      body: { email, password: PASSWORD },
    });
    expect([blocked.status, await errorCode(blocked)]).toEqual([429, 'rate_limited']);
    expect((await logIn(app, email, PASSWORD, '198.51.100.8')).userId).toEqual(expect.any(String));
  });

  it('stops a disabled user at once', async () => {
    const session = await signUp(app, 'affiliate');
    await handle.db.update(users).set({ isActive: false }).where(eq(users.id, session.userId));
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: session.accessToken })).status).toBe(401);
    const refresh = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refresh.status).toBe(401);
  });

  it('keeps only hashes of API keys, honours revocation and keeps keys to their owner', async () => {
    const owner = await signUp(app, 'advertiser');
    const other = await signUp(app, 'advertiser');
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: owner.accessToken,
      body: { name: 'server', scopes: ['offers:read'] },
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string; prefix: string } };
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(JSON.stringify(await handle.db.select().from(apiKeys))).not.toContain(key);
    const listed = await call(app, 'GET', '/api/v1/api-keys', { token: owner.accessToken });
    expect(JSON.stringify(await listed.json())).not.toContain(key);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: key })).status).toBe(200);

    // Someone else cannot see or revoke it.
    const othersList = await call(app, 'GET', '/api/v1/api-keys', { token: other.accessToken });
    expect(((await othersList.json()) as { data: unknown[] }).data).toEqual([]);
    const othersRevoke = await call(app, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, {
      token: other.accessToken,
    });
    expect(othersRevoke.status).toBe(404);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: key })).status).toBe(200);

    // A key cannot manage keys or sessions (a stolen key must not mint more).
    for (const [method, path] of [
      ['POST', '/api/v1/api-keys'],
      ['GET', '/api/v1/api-keys'],
      ['POST', '/api/v1/auth/logout-others'],
    ] as const) {
      const r = await call(app, method, path, {
        token: key,
        body: { name: 'more', scopes: ['offers:read'] },
      });
      expect([r.status, await errorCode(r)], path).toEqual([403, 'forbidden']);
    }

    expect(
      (await call(app, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { token: owner.accessToken })).status,
    ).toBe(204);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: key })).status).toBe(401);
  });

  it('does not let a role grant scopes beyond itself', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const response = await call(app, 'POST', '/api/v1/api-keys', {
      token: affiliate.accessToken,
      body: { name: 'k', scopes: ['offers:write'] },
    });
    expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
  });

  it('lets only admins manage users', async () => {
    const admin = await adminSession(app, handle.db);
    const adminKey = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'k', scopes: ['advertisers:write'] },
      })
    ).json()) as { key: string };
    const newUser = { email: uniqueEmail('new'), password: PASSWORD, role: 'admin' };
    for (const token of [
      (await signUp(app, 'advertiser')).accessToken,
      (await signUp(app, 'affiliate')).accessToken,
      adminKey.key,
    ]) {
      for (const method of ['GET', 'POST']) {
        const response = await call(app, method, '/api/v1/users', { token, body: newUser });
        expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
      }
    }
    expect(await handle.db.select().from(users).where(eq(users.email, newUser.email))).toEqual([]);
  });
});
