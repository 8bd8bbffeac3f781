import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, logIn, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { users } from '../db/schema/users.ts';
import { createSmtpMailer } from '../mail/mailer.ts';

describe.each(testDatabases)('/api/v1/auth on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let app: ReturnType<typeof testApp>;
  const mails: Promise<void>[] = [];
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    smtp = await startSmtpSink();
    app = testApp(handle.db, {
      edge: recorder.edge,
      mailer: createSmtpMailer({ url: smtp.url, from: 'TAS <no-reply@tas.test>' }),
      onMailQueued: (sending) => mails.push(sending),
    });
  });
  afterAll(async () => {
    await Promise.all(mails);
    await Promise.all([recorder.close(), smtp.close()]);
    await handle.close();
  });

  const mailTo = async (email: string, subject: RegExp) => {
    await Promise.all(mails);
    return smtp.received.filter((m) => m.to.includes(email) && subject.test(m.text)).at(-1);
  };

  it('signs up an advertiser, emails a verification link that logs it in with its password', async () => {
    const email = uniqueEmail('Adv');
    const response = await call(app, 'POST', '/api/v1/auth/register', {
      body: {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        role: 'advertiser',
        companyName: 'Shop',
      },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'verification_sent' });
    const [stored] = await handle.db.select().from(users).where(eq(users.email, email.toLowerCase()));
    expect(stored).toMatchObject({ role: 'advertiser', emailVerifiedAt: null });
    const [company] = await handle.db.select().from(advertisers).where(eq(advertisers.userId, stored!.id));
    expect(company).toMatchObject({ companyName: 'Shop', contactEmail: email.toLowerCase() });

    const mail = await mailTo(email.toLowerCase(), /Subject: Confirm your email/);
    expect(mail?.text).toMatch(/enter the password you chose/);
    const token = /http:\/\/app\.test\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    const verified = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { token, password: PASSWORD },
    });
    expect(verified.status).toBe(200);
    const body = (await verified.json()) as {
      user: Record<string, unknown>;
      tokens: Record<string, unknown>;
    };
    expect(body.user).toMatchObject({
      id: stored!.id,
      email: email.toLowerCase(),
      role: 'advertiser',
      isActive: true,
      advertiserId: company!.id,
    });
    expect(body.tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(JSON.stringify(body)).not.toContain('argon2');

    const me = await call(app, 'GET', '/api/v1/auth/me', { token: String(body.tokens.accessToken) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: email.toLowerCase(), advertiserId: company!.id });
    const [after] = await handle.db.select().from(users).where(eq(users.id, stored!.id));
    expect(after?.emailVerifiedAt).toEqual(expect.any(Date));
    // From now on the password alone is enough.
    expect((await logIn(app, email)).userId).toBe(stored!.id);
  });

  it('emails a fresh link on request, which verifies the account', async () => {
    const email = uniqueEmail('slow');
    await call(app, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, role: 'affiliate', companyName: 'Late' },
    });
    const first = await mailTo(email, /Subject: Confirm your email/);
    const resent = await call(app, 'POST', '/api/v1/auth/resend-verification', { body: { email } });
    expect(resent.status).toBe(202);
    expect(await resent.json()).toEqual({ status: 'verification_sent' });
    const second = await mailTo(email, /Subject: Confirm your email/);
    expect(second).not.toBe(first);
    const token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(second?.text ?? '')?.[1];
    const verified = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { token, password: PASSWORD },
    });
    expect(verified.status).toBe(200);
    expect((await logIn(app, email)).userId).toEqual(expect.any(String));
  });

  it('verifies an address through a password reset, which proves it too', async () => {
    const email = uniqueEmail('reset-first');
    await call(app, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, role: 'advertiser', companyName: 'Forgot' },
    });
    await call(app, 'POST', '/api/v1/auth/password-reset', { body: { email } });
    const mail = await mailTo(email, /Subject: Reset your TAS password/);
    const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
    const newPassword = 'chosen after the reset';
    const confirmed = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: newPassword },
    });
    expect(confirmed.status).toBe(204);
    expect((await logIn(app, email, newPassword)).userId).toEqual(expect.any(String));
  });

  it('signs up an affiliate as pending and tells the edge it may not send traffic yet', async () => {
    recorder.received.length = 0;
    const session = await signUp(app, 'affiliate');
    const [affiliate] = await handle.db
      .select()
      .from(affiliates)
      .where(eq(affiliates.id, session.affiliateId!));
    expect(affiliate).toMatchObject({ status: 'pending', userId: session.userId });
    expect(recorder.received.at(-1)?.upsert.affiliates).toEqual([
      expect.objectContaining({ id: session.affiliateId, status: 'suspended' }),
    ]);
  });

  it('logs in, refreshes (rotating the refresh token) and logs out', async () => {
    const email = uniqueEmail('aff');
    await signUp(app, 'affiliate', email);
    const session = await logIn(app, email);
    const refreshed = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const pair = (await refreshed.json()) as { accessToken: string; refreshToken: string };
    expect(pair.refreshToken).not.toBe(session.refreshToken);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: pair.accessToken })).status).toBe(200);

    expect((await call(app, 'POST', '/api/v1/auth/logout', { token: pair.accessToken })).status).toBe(204);
    // Logged out means out now, not when the access token expires.
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: pair.accessToken })).status).toBe(401);
    expect(
      (await call(app, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
    ).toBe(401);
  });

  it('logs out the other sessions only', async () => {
    const email = uniqueEmail('adv');
    const first = await signUp(app, 'advertiser', email);
    const second = await logIn(app, email);
    const third = await logIn(app, email);
    const response = await call(app, 'POST', '/api/v1/auth/logout-others', { token: third.accessToken });
    expect(await response.json()).toEqual({ revoked: 2 });
    for (const other of [first, second]) {
      expect((await call(app, 'GET', '/api/v1/auth/me', { token: other.accessToken })).status).toBe(401);
    }
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: third.accessToken })).status).toBe(200);
  });

  it('resets a password through the emailed one-time link, ending every session', async () => {
    const email = uniqueEmail('forgetful');
    const before = await signUp(app, 'affiliate', email);
    const requested = await call(app, 'POST', '/api/v1/auth/password-reset', { body: { email } });
    expect(requested.status).toBe(202);
    await Promise.all(mails);
    const mail = await mailTo(email, /Subject: Reset your TAS password/);
    expect(mail).toBeDefined();
    const token = /http:\/\/app\.test\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail!.text)?.[1];
    expect(token).toBeDefined();

    const newPassword = 'a brand new passphrase';
    const confirmed = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: newPassword },
    });
    expect(confirmed.status).toBe(204);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: before.accessToken })).status).toBe(401);
    await expect(logIn(app, email)).rejects.toThrow(/401/);
    expect((await logIn(app, email, newPassword)).userId).toBe(before.userId);
  });

  it('lets an admin create users of any role, including admins', async () => {
    const admin = await adminSession(app, handle.db);
    const email = uniqueEmail('admin2');
    const created = await call(app, 'POST', '/api/v1/users', {
      token: admin.accessToken,
      body: { email, password: PASSWORD, role: 'admin' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email, role: 'admin' });
    // The admin vouches for the address: no verification step.
    expect((await logIn(app, email)).userId).toEqual(expect.any(String));
    const list = await call(app, 'GET', '/api/v1/users', { token: admin.accessToken });
    expect(((await list.json()) as { data: { email: string }[] }).data.map((u) => u.email)).toContain(email);
    const [stored] = await handle.db.select().from(users).where(eq(users.email, email));
    // argon2id with the OWASP parameters, never the password.
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await app.request('/api/openapi.json');
    expect(doc.status).toBe(200);
    const spec = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/verify-email',
        '/api/v1/auth/resend-verification',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/api-keys/{id}',
        '/api/v1/users',
      ]),
    );
    const docs = await app.request('/api/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/openapi.json');
  });
});
