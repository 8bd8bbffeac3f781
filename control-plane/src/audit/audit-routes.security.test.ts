import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { recordAudit, withoutSecrets } from './record-audit.ts';

describe.each(testDatabases)('/api/v1/audit-events access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  const keyOf = async (token: string, scopes: string[]) =>
    (
      (await (
        await call(app, 'POST', '/api/v1/api-keys', { token, body: { name: 'k', scopes } })
      ).json()) as {
        key: string;
      }
    ).key;

  it('answers admins (and their keys with audit:read) only', async () => {
    const admin = await adminSession(app, handle.db);
    const affiliate = await signUp(app, 'affiliate');
    const advertiser = await signUp(app, 'advertiser');
    const refused: [string | undefined, number, string][] = [
      [undefined, 401, 'unauthorized'],
      [affiliate.accessToken, 403, 'forbidden'],
      [advertiser.accessToken, 403, 'forbidden'],
      [await keyOf(admin.accessToken, ['offers:read']), 403, 'forbidden'],
    ];
    for (const format of ['json', 'csv']) {
      for (const [token, status, code] of refused) {
        const response = await call(app, 'GET', `/api/v1/audit-events?format=${format}`, { token });
        expect([response.status, await errorCode(response)]).toEqual([status, code]);
      }
    }
    // Affiliates and advertisers cannot even grant themselves the scope.
    const grant = await call(app, 'POST', '/api/v1/api-keys', {
      token: affiliate.accessToken,
      body: { name: 'k', scopes: ['audit:read'] },
    });
    expect(grant.status).toBe(403);
    const key = await keyOf(admin.accessToken, ['audit:read']);
    expect((await call(app, 'GET', '/api/v1/audit-events', { token: key })).status).toBe(200);
  });

  it('never stores a secret, whatever a caller passes as detail', async () => {
    const admin = await adminSession(app, handle.db);
    await recordAudit(handle.db, {
      actor: admin.userId,
      action: 'data_subject.exported',
      subject: { type: 'email', id: 'someone@example.test' },
      detail: {
        email: 'someone@example.test',
        password: 'hunter2-hunter2',
        refreshToken: 'rt-secret-value',
        nested: { apiKey: 'tas_secret_value', iban: 'DE89370400440532013000', tables: ['clicks'] },
        revokedApiKeys: 2,
      },
    });
    const response = await call(app, 'GET', '/api/v1/audit-events?action=data_subject.exported', {
      token: admin.accessToken,
    });
    const text = await response.text();
    for (const secret of ['hunter2', 'rt-secret-value', 'tas_secret_value', 'DE89'])
      expect(text).not.toContain(secret);
    const [event] = (JSON.parse(text) as { data: { detail: unknown }[] }).data;
    expect(event?.detail).toEqual({
      email: 'someone@example.test',
      nested: { tables: ['clicks'] },
      revokedApiKeys: 2,
    });
    expect(
      withoutSecrets({ currentPassword: 'x', newPassword: 'y', sessionToken: 'z', method: 'wire' }),
    ).toEqual({
      method: 'wire',
    });
  });
});
