import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/users bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses bad ids and bodies, unknown users and disabling oneself', async () => {
    const admin = await adminSession(app, handle.db);
    const cases: [string, unknown, number, string][] = [
      ['/api/v1/users/nope', { isActive: false }, 400, 'invalid_request'],
      [`/api/v1/users/${admin.userId}`, { isActive: 'no' }, 400, 'invalid_request'],
      [`/api/v1/users/${crypto.randomUUID()}`, { isActive: false }, 404, 'not_found'],
      [`/api/v1/users/${admin.userId}`, { isActive: false }, 409, 'conflict'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await call(app, 'PATCH', path, { token: admin.accessToken, body });
      expect([response.status, await errorCode(response)], path).toEqual([status, code]);
    }
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: admin.accessToken })).status).toBe(200);
  });

  it('refuses a role without its company, an unknown role, an empty change and changing oneself', async () => {
    const admin = await adminSession(app, handle.db);
    const other = await adminSession(app, handle.db);
    const cases: [string, unknown, number, string][] = [
      [`/api/v1/users/${other.userId}`, { role: 'advertiser' }, 409, 'conflict'],
      [`/api/v1/users/${other.userId}`, { role: 'owner' }, 400, 'invalid_request'],
      [`/api/v1/users/${other.userId}`, {}, 400, 'invalid_request'],
      [`/api/v1/users/${admin.userId}`, { role: 'affiliate' }, 409, 'conflict'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await call(app, 'PATCH', path, { token: admin.accessToken, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([status, code]);
    }
    const me = (await (await call(app, 'GET', '/api/v1/auth/me', { token: other.accessToken })).json()) as {
      role: string;
    };
    expect(me.role).toBe('admin');
  });
});
