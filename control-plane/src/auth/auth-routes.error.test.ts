import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, PASSWORD, signUp, uniqueEmail } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { emailVerifications } from '../db/schema/email-verifications.ts';
import { sessions as sessionsTable } from '../db/schema/sessions.ts';
import { users } from '../db/schema/users.ts';
import { createSmtpMailer } from '../mail/mailer.ts';

describe.each(testDatabases)('/api/v1/auth bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let app: ReturnType<typeof testApp>;
  let clock = new Date();
  const mails: Promise<void>[] = [];
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    smtp = await startSmtpSink();
    app = testApp(handle.db, {
      edge: recorder.edge,
      mailer: createSmtpMailer({ url: smtp.url, from: 'TAS <no-reply@tas.test>' }),
      onMailQueued: (sending) => mails.push(sending),
      now: () => clock,
    });
  });
  afterAll(async () => {
    await Promise.all(mails);
    await Promise.all([recorder.close(), smtp.close()]);
    await handle.close();
  });
  const usersCount = async () => (await handle.db.select({ n: count() }).from(users))[0]?.n ?? 0;

  it('answers malformed and invalid bodies with 400 and a code, storing nothing', async () => {
    const before = await usersCount();
    const cases: [string, Parameters<typeof call>[3], string][] = [
      ['not JSON', { rawBody: '{"email": ' }, 'invalid_json'],
      ['empty object', { body: {} }, 'invalid_request'],
      [
        'short password',
        { body: { email: uniqueEmail('x'), password: 'short', role: 'affiliate', companyName: 'C' } },
        'invalid_request',
      ],
      [
        'bad email',
        { body: { email: 'not-an-email', password: PASSWORD, role: 'affiliate', companyName: 'C' } },
        'invalid_request',
      ],
      [
        'admin by sign-up',
        { body: { email: uniqueEmail('x'), password: PASSWORD, role: 'admin', companyName: 'C' } },
        'invalid_request',
      ],
      ['array body', { body: [1, 2] }, 'invalid_request'],
    ];
    for (const [name, options, code] of cases) {
      const response = await call(app, 'POST', '/api/v1/auth/register', options);
      expect(response.status, name).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
      expect(body.error.code, name).toBe(code);
      expect(body.error.requestId, name).toEqual(expect.any(String));
    }
    expect(await usersCount()).toBe(before);
    for (const [path, body] of [
      ['/api/v1/auth/verify-email', {}],
      ['/api/v1/auth/verify-email', { token: 'short', password: PASSWORD }],
      ['/api/v1/auth/verify-email', { token: 'z'.repeat(43) }],
      ['/api/v1/auth/verify-email', { token: 'z'.repeat(43), password: '' }],
      ['/api/v1/auth/resend-verification', { email: 'not-an-email' }],
    ] as const) {
      const response = await call(app, 'POST', path, { body });
      expect([response.status, await errorCode(response)], path).toEqual([400, 'invalid_request']);
    }
  });

  it('rolls a sign-up back when the edge cannot take the new affiliate', async () => {
    const before = await usersCount();
    recorder.fail(true);
    try {
      const response = await call(app, 'POST', '/api/v1/auth/register', {
        body: { email: uniqueEmail('edge'), password: PASSWORD, role: 'affiliate', companyName: 'C' },
      });
      expect(response.status).toBe(502);
      expect(await errorCode(response)).toBe('edge_unavailable');
    } finally {
      recorder.fail(false);
    }
    expect(await usersCount()).toBe(before);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const email = uniqueEmail('login');
    await signUp(app, 'affiliate', email);
    const wrong = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    const unknown = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'not the password' },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as {
      error: { code: string; message: string };
    }[];
    expect(a?.error.code).toBe('invalid_credentials');
    expect(a?.error.message).toBe(b?.error.message);
  });

  it('refuses unknown refresh, reset and verification tokens', async () => {
    const refresh = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: 'x'.repeat(43) },
    });
    expect([refresh.status, await errorCode(refresh)]).toEqual([401, 'invalid_token']);
    const reset = await call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: 'y'.repeat(43), password: 'another long password' },
    });
    expect([reset.status, await errorCode(reset)]).toEqual([401, 'invalid_token']);
    const verify = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { token: 'z'.repeat(43), password: PASSWORD },
    });
    expect([verify.status, await errorCode(verify)]).toEqual([400, 'invalid_verification_token']);
    const shortToken = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'abc' } });
    expect([shortToken.status, await errorCode(shortToken)]).toEqual([400, 'invalid_request']);
  });

  const register = (email: string) =>
    call(app, 'POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, role: 'advertiser', companyName: 'C' },
    });
  const verificationFromMail = async (email: string) => {
    await Promise.all(mails);
    const mail = smtp.received.filter((m) => m.to.includes(email) && m.text.includes('verify-email')).at(-1);
    return /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
  };
  const verify = (token: string | undefined, password = PASSWORD) =>
    call(app, 'POST', '/api/v1/auth/verify-email', { body: { token, password } });

  it('accepts a verification link once, and not after 24 hours', async () => {
    const email = uniqueEmail('verify');
    await register(email);
    const token = await verificationFromMail(email);
    expect((await verify(token)).status).toBe(200);
    const again = await verify(token);
    expect([again.status, await errorCode(again)]).toEqual([400, 'invalid_verification_token']);

    const late = uniqueEmail('late');
    await register(late);
    const lateToken = await verificationFromMail(late);
    clock = new Date(clock.getTime() + 24 * 3600 * 1000 + 1000);
    try {
      const response = await verify(lateToken);
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_verification_token']);
      const login = await call(app, 'POST', '/api/v1/auth/login', {
        body: { email: late, password: PASSWORD },
      });
      expect([login.status, await errorCode(login)]).toEqual([403, 'email_not_verified']);
    } finally {
      clock = new Date();
    }
  });

  it('voids the other links of an account once one is used', async () => {
    const email = uniqueEmail('twice');
    await register(email);
    const first = await verificationFromMail(email);
    await call(app, 'POST', '/api/v1/auth/resend-verification', { body: { email } });
    const second = await verificationFromMail(email);
    expect(second).not.toBe(first);
    expect((await verify(second)).status).toBe(200);
    expect(await errorCode(await verify(first))).toBe('invalid_verification_token');
  });

  it('refuses verification with a wrong password, leaving the link for the right one', async () => {
    const email = uniqueEmail('mistyped');
    await register(email);
    const token = await verificationFromMail(email);
    const [user] = await handle.db.select().from(users).where(eq(users.email, email));
    const sessions = async () =>
      (
        await handle.db.select({ n: count() }).from(sessionsTable).where(eq(sessionsTable.userId, user!.id))
      )[0]?.n;
    for (const password of ['not the password', PASSWORD.toUpperCase(), `${PASSWORD} `]) {
      const wrong = await verify(token, password);
      expect([wrong.status, await errorCode(wrong)], password).toEqual([401, 'invalid_credentials']);
    }
    // Nothing happened: not verified, no session, the token not used.
    const [after] = await handle.db.select().from(users).where(eq(users.id, user!.id));
    expect(after?.emailVerifiedAt).toBeNull();
    expect(await sessions()).toBe(0);
    const [link] = await handle.db
      .select()
      .from(emailVerifications)
      .where(eq(emailVerifications.userId, user!.id));
    expect(link?.usedAt).toBeNull();
    const login = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect([login.status, await errorCode(login)]).toEqual([403, 'email_not_verified']);

    const right = await verify(token);
    expect(right.status).toBe(200);
    expect(((await right.json()) as { user: { id: string } }).user.id).toBe(user!.id);
    expect(await sessions()).toBe(1);
    // Used now, even with the right password.
    expect(await errorCode(await verify(token))).toBe('invalid_verification_token');
  });

  it('refuses an unverified login with the right password only, and a wrong one as always', async () => {
    const email = uniqueEmail('unverified');
    await register(email);
    const right = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect([right.status, await errorCode(right)]).toEqual([403, 'email_not_verified']);
    const wrong = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'invalid_credentials']);
  });

  it('answers 202 for an unknown address and sends nothing', async () => {
    await Promise.all(mails);
    const sent = smtp.received.length;
    const response = await call(app, 'POST', '/api/v1/auth/password-reset', {
      body: { email: uniqueEmail('ghost') },
    });
    expect(response.status).toBe(202);
    await Promise.all(mails);
    expect(smtp.received.length).toBe(sent);
  });

  it('accepts a reset link once, and not after it expires', async () => {
    const email = uniqueEmail('reset');
    await signUp(app, 'advertiser', email);
    const tokenFromMail = async () => {
      await call(app, 'POST', '/api/v1/auth/password-reset', { body: { email } });
      await Promise.all(mails);
      const mail = smtp.received.filter((m) => m.to.includes(email)).at(-1);
      return /token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
    };
    const once = await tokenFromMail();
    const confirm = (token: string | undefined) =>
      call(app, 'POST', '/api/v1/auth/password-reset/confirm', {
        body: { token, password: 'yet another passphrase' },
      });
    expect((await confirm(once)).status).toBe(204);
    expect(await errorCode(await confirm(once))).toBe('invalid_token');

    const late = await tokenFromMail();
    clock = new Date(clock.getTime() + 31 * 60 * 1000);
    try {
      const response = await confirm(late);
      expect([response.status, await errorCode(response)]).toEqual([401, 'invalid_token']);
    } finally {
      clock = new Date();
    }
  });

  it('validates API key requests', async () => {
    const session = await signUp(app, 'advertiser');
    const cases: [unknown, number, string][] = [
      [{ name: 'k', scopes: ['offers:read', 'everything'] }, 400, 'invalid_request'],
      [{ name: '', scopes: ['offers:read'] }, 400, 'invalid_request'],
      [{ name: 'k', scopes: [] }, 400, 'invalid_request'],
      [{ name: 'k', scopes: ['offers:read'], expiresAt: 'tomorrow' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call(app, 'POST', '/api/v1/api-keys', { token: session.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([status, code]);
    }
    const badId = await call(app, 'DELETE', '/api/v1/api-keys/not-a-uuid', { token: session.accessToken });
    expect([badId.status, await errorCode(badId)]).toEqual([400, 'invalid_request']);
    const missing = await call(app, 'DELETE', `/api/v1/api-keys/${crypto.randomUUID()}`, {
      token: session.accessToken,
    });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
  });

  it('refuses a user attached to an advertiser that does not exist, creating nothing', async () => {
    const admin = await adminSession(app, handle.db);
    const email = uniqueEmail('orphan');
    const response = await call(app, 'POST', '/api/v1/users', {
      token: admin.accessToken,
      body: { email, password: PASSWORD, role: 'advertiser', advertiserId: 999_999 },
    });
    expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
    expect(await handle.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});
