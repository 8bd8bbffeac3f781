import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, logIn, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { CONFIG_SECRET, startEdgeRecorder } from '../../test/edge-recorder.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { users } from '../db/schema/users.ts';
import { createEdgePublisher } from '../edge-sync/edge-publisher.ts';
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
      edge: createEdgePublisher({ edgeUrl: recorder.url, signingSecret: CONFIG_SECRET }),
      mailer: createSmtpMailer({ url: smtp.url, from: 'TAS <no-reply@tas.test>' }),
      onMailQueued: (sending) => mails.push(sending),
    });
  });
  afterAll(async () => {
    await Promise.all([recorder.close(), smtp.close()]);
    await handle.close();
  });

  it('signs up an advertiser with its company and logs it in', async () => {
    const email = uniqueEmail('Adv');
    const response = await call(app, 'POST', '/api/v1/auth/register', {
      body: {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        role: 'advertiser',
        companyName: 'Shop',
      },
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as {
      user: Record<string, unknown>;
      tokens: Record<string, unknown>;
    };
    expect(body.user).toMatchObject({ email: email.toLowerCase(), role: 'advertiser', isActive: true });
    expect(body.user.advertiserId).toEqual(expect.any(Number));
    expect(body.tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(JSON.stringify(body)).not.toContain('argon2');

    const me = await call(app, 'GET', '/api/v1/auth/me', { token: String(body.tokens.accessToken) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      email: email.toLowerCase(),
      advertiserId: body.user.advertiserId,
    });
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
    const mail = smtp.received.find((m) => m.to.includes(email));
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
