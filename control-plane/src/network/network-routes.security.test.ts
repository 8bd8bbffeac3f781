import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { networkConfigOf } from '../edge-sync/network-config.ts';

describe.each(testDatabases)('/api/v1/network-settings access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('is for admins in a session only', async () => {
    const admin = await adminSession(app, handle.db);
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'k', scopes: ['offers:write'] },
      })
    ).json()) as { key: string };
    const body = { blockedIps: ['192.0.2.1'], blockedUserAgents: [] };
    const callers: [string | undefined, number][] = [
      [undefined, 401],
      [(await signUp(app, 'advertiser')).accessToken, 403],
      [(await signUp(app, 'affiliate')).accessToken, 403],
      [key.key, 403],
    ];
    for (const [token, status] of callers) {
      for (const method of ['GET', 'PUT']) {
        const response = await call(app, method, '/api/v1/network-settings', { token, body });
        expect(response.status).toBe(status);
        expect(['unauthorized', 'forbidden']).toContain(await errorCode(response));
      }
    }
    expect((await networkConfigOf(handle.db)).blockedIps).toEqual([]);
  });
});
