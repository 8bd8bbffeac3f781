import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, PASSWORD } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/privacy errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses subjects it cannot look for, with invalid_request, and logs nothing', async () => {
    const admin = await adminSession(app, handle.db);
    for (const body of [
      {},
      { subject: { type: 'phone', value: '+4915112345678' } },
      { subject: { type: 'email', value: 'not an email' } },
      { subject: { type: 'ip', value: '300.1.1.1' } },
      { subject: { type: 'click_id', value: 'short' } },
      { subject: { type: 'txid', value: '' } },
      { subject: { type: 'txid', value: 'x'.repeat(201) } },
      { subject: { type: 'txid', value: 'T-1' }, note: 'n'.repeat(501) },
    ]) {
      for (const path of ['/api/v1/privacy/exports', '/api/v1/privacy/erasures']) {
        const response = await call(app, 'POST', path, { token: admin.accessToken, body });
        expect([path, JSON.stringify(body), response.status, await errorCode(response)]).toEqual([
          path,
          JSON.stringify(body),
          400,
          'invalid_request',
        ]);
      }
    }
    const badList = await call(app, 'GET', '/api/v1/privacy/requests?limit=0', { token: admin.accessToken });
    expect(badList.status).toBe(400);
    const log = await call(app, 'GET', '/api/v1/privacy/requests', { token: admin.accessToken });
    expect(((await log.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('answers a subject nobody holds with empty lists, and refuses a malformed delete-account body', async () => {
    const admin = await adminSession(app, handle.db);
    const response = await call(app, 'POST', '/api/v1/privacy/exports', {
      token: admin.accessToken,
      body: { subject: { type: 'txid', value: 'NO-SUCH-ORDER' } },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      clicks: [],
      conversions: [],
      account: null,
      truncated: false,
    });
    const erased = await call(app, 'POST', '/api/v1/privacy/erasures', {
      token: admin.accessToken,
      body: { subject: { type: 'ip', value: '2001:db8::1' } },
    });
    expect(await erased.json()).toMatchObject({ clicks: 0, conversions: 0, accounts: 0 });
    const bad = await call(app, 'POST', '/api/v1/auth/delete-account', {
      token: admin.accessToken,
      body: {},
    });
    expect([bad.status, await errorCode(bad)]).toEqual([400, 'invalid_request']);
    // The last active admin cannot leave the network without one; with another, they can.
    await handle.db.execute(
      sql`UPDATE users SET is_active = false WHERE role = 'admin' AND id <> ${admin.userId}`,
    );
    const deleteAccount = () =>
      call(app, 'POST', '/api/v1/auth/delete-account', {
        token: admin.accessToken,
        body: { password: PASSWORD },
      });
    const alone = await deleteAccount();
    expect([alone.status, await errorCode(alone)]).toEqual([409, 'conflict']);
    await adminSession(app, handle.db);
    expect((await deleteAccount()).status).toBe(204);
  });
});
