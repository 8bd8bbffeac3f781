import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, logIn, PASSWORD, type Session, signUp, uniqueEmail } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { createUser } from '../accounts/account-service.ts';
import type { DatabaseHandle } from '../db/database.ts';

type AuditEventBody = {
  id: string;
  createdAt: string;
  action: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorIp: string | null;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
};
type Page = { data: AuditEventBody[]; nextCursor: string | null };

describe.each(testDatabases)('/api/v1/audit-events on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  const adminEmail = uniqueEmail('admin');
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    await createUser({ db: handle.db }, { email: adminEmail, password: PASSWORD, role: 'admin' });
    admin = await logIn(app, adminEmail, PASSWORD, '198.51.100.20');
  });
  afterAll(() => handle.close());

  const audit = async (query: string) => {
    const response = await call(app, 'GET', `/api/v1/audit-events?${query}`, { token: admin.accessToken });
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  it('records logins that succeed and fail, with the address and never the password', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const email = (
      (await (await call(app, 'GET', '/api/v1/auth/me', { token: affiliate.accessToken })).json()) as {
        email: string;
      }
    ).email;
    const wrong = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password at all' },
      ip: '203.0.113.61',
    });
    expect(wrong.status).toBe(401);
    await call(app, 'POST', '/api/v1/auth/login', {
      body: { email: 'nobody-here@example.test', password: 'whatever it is' },
      ip: '203.0.113.62',
    });
    await logIn(app, email, PASSWORD, '203.0.113.63');

    const failed = (await audit('action=login.failed&limit=200')).data;
    expect(failed.find((e) => e.actorIp === '203.0.113.61')).toMatchObject({
      actorUserId: null,
      subjectType: 'user',
      subjectId: affiliate.userId,
      detail: { email, reason: 'invalid_credentials' },
    });
    expect(failed.find((e) => e.actorIp === '203.0.113.62')).toMatchObject({
      subjectId: null,
      detail: { email: 'nobody-here@example.test', reason: 'invalid_credentials' },
    });
    const succeeded = (await audit(`action=login.succeeded&actor=${affiliate.userId}`)).data;
    expect(succeeded.map((e) => e.actorIp)).toContain('203.0.113.63');
    // The verified sign-up link logged it in first.
    expect(succeeded.at(-1)?.detail).toEqual({ via: 'email_verification' });
    expect(succeeded[0]).toMatchObject({ actorEmail: email, subjectType: 'user' });
    expect(JSON.stringify(failed)).not.toContain('not the password at all');
  });

  it('records password changes and payment detail changes by name only', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const changed = await call(app, 'POST', '/api/v1/auth/change-password', {
      token: affiliate.accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'a new and longer passphrase' },
      ip: '203.0.113.70',
    });
    expect(changed.status).toBe(200);
    const details = { method: 'wire', accountHolder: 'Media Co', iban: 'DE89 3704 0044 0532 0130 00' };
    expect(
      (
        await call(app, 'PUT', `/api/v1/affiliates/${affiliate.affiliateId}/payment-details`, {
          token: affiliate.accessToken,
          body: details,
        })
      ).status,
    ).toBe(204);
    const events = (await audit(`actor=${affiliate.userId}`)).data;
    expect(events.map((e) => e.action).slice(0, 2)).toEqual(['payment_details.changed', 'password.changed']);
    expect(events[0]).toMatchObject({
      subjectType: 'affiliate',
      subjectId: String(affiliate.affiliateId),
      detail: { method: 'wire' },
    });
    expect(events[1]).toMatchObject({ actorIp: '203.0.113.70', detail: { revokedSessions: 0 } });
    const text = JSON.stringify(events);
    for (const secret of ['DE89', 'Media Co', 'a new and longer passphrase', PASSWORD]) {
      expect(text).not.toContain(secret);
    }
  });

  it('pages newest first with a cursor, and filters by time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) {
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: `paged ${i}`, scopes: ['offers:read'] },
      });
    }
    const first = await audit(`action=api_key.created&actor=${admin.userId}&limit=2&from=${before}`);
    expect(first.data.map((e) => e.detail.name)).toEqual(['paged 2', 'paged 1']);
    expect(first.nextCursor).not.toBeNull();
    const second = await audit(
      `action=api_key.created&actor=${admin.userId}&limit=2&from=${before}&cursor=${first.nextCursor}`,
    );
    expect(second.data.map((e) => e.detail.name)).toEqual(['paged 0']);
    expect(second.nextCursor).toBeNull();
    const none = await audit(`action=api_key.created&to=${before}&actor=${admin.userId}`);
    expect(none.data).toEqual([]);
  });

  it('exports every matching event as CSV', async () => {
    const response = await call(app, 'GET', `/api/v1/audit-events?format=csv&actor=${admin.userId}`, {
      token: admin.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('audit-events.csv');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,createdAt,action,actorUserId,actorEmail,actorIp,subjectType,subjectId,detail');
    const json = (await audit(`actor=${admin.userId}&limit=200`)).data;
    expect(lines).toHaveLength(json.length + 1);
    expect(lines[1]).toContain(json[0]?.id ?? 'missing');
    expect(lines.some((line) => line.includes('login.succeeded'))).toBe(true);
    expect(lines.some((line) => line.includes('"{""name"":""paged 2""'))).toBe(true);
  });
});
