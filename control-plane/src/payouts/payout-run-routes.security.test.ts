import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { payableWorld } from '../../test/payout-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/payout-runs access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof payableWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    world = await payableWorld(app, handle.db, 1);
  });
  afterAll(() => handle.close());

  const id = '01900000-0000-7000-8000-000000000000';
  const routes = [
    ['POST', '/api/v1/payout-runs', { dryRun: true }],
    ['POST', '/api/v1/payout-runs', { dryRun: false }],
    ['GET', '/api/v1/payout-runs', undefined],
    ['GET', `/api/v1/payout-runs/${id}`, undefined],
    ['POST', `/api/v1/payout-runs/${id}/resume`, undefined],
    ['GET', `/api/v1/payout-runs/${id}/bank-transfers.csv`, undefined],
  ] as const;

  it('asks for a credential', async () => {
    for (const [method, path, body] of routes) {
      const response = await call(app, method, path, body ? { body } : {});
      expect([response.status, await errorCode(response)], path).toEqual([401, 'unauthorized']);
    }
  });

  it('keeps runs, dry runs included, to admins: affiliates and advertisers are refused', async () => {
    for (const session of [world.affiliate, world.advertiser]) {
      for (const [method, path, body] of routes) {
        const response = await call(app, method, path, {
          token: session.accessToken,
          ...(body ? { body } : {}),
        });
        expect(
          [response.status, await errorCode(response)],
          `${session.affiliateId ? 'affiliate' : 'advertiser'} ${path}`,
        ).toEqual([403, 'forbidden']);
      }
    }
  });

  it("needs the affiliates:write scope from an admin's API key to pay", async () => {
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: world.admin.accessToken,
      body: { name: 'reads', scopes: ['reports:read'] },
    });
    const { key } = (await created.json()) as { key: string };
    const refused = await call(app, 'POST', '/api/v1/payout-runs', { token: key, body: { dryRun: false } });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'forbidden']);
    const list = await call(app, 'GET', '/api/v1/payout-runs', { token: key });
    expect(list.status).toBe(200);
  });
});
