import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { apiKeys } from '../db/schema/api-keys.ts';

type ApiKeyBody = {
  id: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  expiresAt: string | null;
};

describe.each(testDatabases)('/api/v1/api-keys on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let clock = new Date('2026-11-30T10:00:00.000Z');
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { now: () => clock });
    clock = new Date();
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  const listKeys = async () =>
    (
      (await (await call(app, 'GET', '/api/v1/api-keys', { token: admin.accessToken })).json()) as {
        data: ApiKeyBody[];
      }
    ).data;

  it('records when and from where a key was last used, at most once a minute', async () => {
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: admin.accessToken,
      body: { name: 'reporting', scopes: ['offers:read'] },
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: ApiKeyBody };
    expect([apiKey.lastUsedAt, apiKey.lastUsedIp]).toEqual([null, null]);

    const start = clock;
    expect((await call(app, 'GET', '/api/v1/offers', { token: key, ip: '203.0.113.7' })).status).toBe(200);
    let shown = (await listKeys()).find((k) => k.id === apiKey.id);
    expect([shown?.lastUsedAt, shown?.lastUsedIp]).toEqual([start.toISOString(), '203.0.113.7']);

    // Within the minute: no write, the first use stays recorded.
    clock = new Date(start.getTime() + 30_000);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key, ip: '203.0.113.8' })).status).toBe(200);
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect([row?.lastUsedAt?.toISOString(), row?.lastUsedIp]).toEqual([start.toISOString(), '203.0.113.7']);

    // A minute on, the new time and address.
    clock = new Date(start.getTime() + 61_000);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key, ip: '203.0.113.9' })).status).toBe(200);
    shown = (await listKeys()).find((k) => k.id === apiKey.id);
    expect([shown?.lastUsedAt, shown?.lastUsedIp]).toEqual([clock.toISOString(), '203.0.113.9']);
  });

  it('sets an expiry at creation, and the key works until then', async () => {
    const expiresAt = new Date(clock.getTime() + 3_600_000).toISOString();
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: admin.accessToken,
      body: { name: 'for an hour', scopes: ['offers:read'], expiresAt },
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: ApiKeyBody };
    expect(apiKey.expiresAt).toBe(expiresAt);
    expect((await call(app, 'GET', '/api/v1/offers', { token: key })).status).toBe(200);
  });

  it('records key creation and revocation in the audit log', async () => {
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: admin.accessToken,
      body: { name: 'short-lived', scopes: ['offers:read'] },
    });
    const { apiKey } = (await created.json()) as { apiKey: ApiKeyBody };
    expect(
      (await call(app, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { token: admin.accessToken })).status,
    ).toBe(204);
    // Revoking again changes nothing and records nothing.
    expect(
      (await call(app, 'DELETE', `/api/v1/api-keys/${apiKey.id}`, { token: admin.accessToken })).status,
    ).toBe(204);
    const audit = (await (
      await call(app, 'GET', `/api/v1/audit-events?actor=${admin.userId}`, { token: admin.accessToken })
    ).json()) as { data: { action: string; subjectId: string | null; detail: Record<string, unknown> }[] };
    const ofKey = audit.data.filter((e) => e.subjectId === apiKey.id);
    expect(ofKey.map((e) => e.action)).toEqual(['api_key.revoked', 'api_key.created']);
    expect(ofKey[1]?.detail).toMatchObject({ name: 'short-lived', scopes: ['offers:read'] });
  });
});
