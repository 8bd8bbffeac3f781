import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

type Page = {
  data: { ownerId?: string; kind?: string; entries?: { account: { kind: string; ownerId: string } }[] }[];
};

describe.each(testDatabases)('/api/v1/ledger access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let world: Awaited<ReturnType<typeof conversionWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    world = await conversionWorld(app, handle.db, 2);
  });
  afterAll(() => handle.close());

  const page = async (path: string, token: string) => {
    const response = await call(app, 'GET', path, { token });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Page;
  };

  it('asks for a credential, and keeps the reconciliation to admins', async () => {
    for (const path of [
      '/api/v1/ledger/balances',
      '/api/v1/ledger/transfers',
      '/api/v1/ledger/reconciliation',
    ]) {
      const response = await call(app, 'GET', path);
      expect([response.status, await errorCode(response)], path).toEqual([401, 'unauthorized']);
    }
    for (const session of [world.advertiser, world.affiliate]) {
      const response = await call(app, 'GET', '/api/v1/ledger/reconciliation', {
        token: session.accessToken,
      });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
    }
  });

  it("never shows an affiliate another affiliate's money, whatever it asks for", async () => {
    const other = await signUp(app, 'affiliate');
    const victim = String(world.affiliate.affiliateId);
    const asks = [
      '/api/v1/ledger/balances',
      `/api/v1/ledger/balances?ownerId=${victim}`,
      `/api/v1/ledger/balances?kind=affiliate_payable&ownerId=${victim}`,
      '/api/v1/ledger/balances?kind=network_revenue',
      '/api/v1/ledger/balances?kind=advertiser',
      '/api/v1/ledger/transfers',
      `/api/v1/ledger/transfers?conversionId=${world.conversionIds[0]}`,
    ];
    for (const path of asks) {
      expect((await page(path, other.accessToken)).data, path).toEqual([]);
    }
    // Its account ids, guessed, find nothing either.
    const admin = await page('/api/v1/ledger/balances?kind=affiliate_payable', world.admin.accessToken);
    const accountId = (admin.data[0] as { accountId?: number } | undefined)?.accountId;
    expect((await page(`/api/v1/ledger/transfers?accountId=${accountId}`, other.accessToken)).data).toEqual(
      [],
    );
    // Nor does the owner learn, by naming the network's account, which of its transfers touch it.
    const network = await page('/api/v1/ledger/balances?kind=network_revenue', world.admin.accessToken);
    const networkId = (network.data[0] as { accountId?: number } | undefined)?.accountId;
    expect(
      (await page(`/api/v1/ledger/transfers?accountId=${networkId}`, world.affiliate.accessToken)).data,
    ).toEqual([]);
  });

  it('shows an advertiser only its own account and its own side of each transfer', async () => {
    const advertiserId = String(world.advertiser.advertiserId);
    const balances = await page(
      '/api/v1/ledger/balances?kind=affiliate_payable',
      world.advertiser.accessToken,
    );
    expect(balances.data).toEqual([]);
    const own = await page('/api/v1/ledger/balances', world.advertiser.accessToken);
    expect(own.data.map((b) => [b.kind, b.ownerId])).toEqual([['advertiser', advertiserId]]);
    const transfers = await page('/api/v1/ledger/transfers', world.advertiser.accessToken);
    expect(transfers.data).toHaveLength(2);
    for (const t of transfers.data) {
      expect(t.entries?.map((e) => [e.account.kind, e.account.ownerId])).toEqual([
        ['advertiser', advertiserId],
      ]);
    }
    const stranger = await signUp(app, 'advertiser');
    expect((await page('/api/v1/ledger/transfers', stranger.accessToken)).data).toEqual([]);
    expect(
      (await page(`/api/v1/ledger/balances?ownerId=${advertiserId}`, stranger.accessToken)).data,
    ).toEqual([]);
  });

  it('needs the reports:read scope from an API key', async () => {
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: world.affiliate.accessToken,
      body: { name: 'postbacks only', scopes: ['postbacks:read'] },
    });
    const { key } = (await created.json()) as { key: string };
    const refused = await call(app, 'GET', '/api/v1/ledger/balances', { token: key });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'forbidden']);
    const reporting = await call(app, 'POST', '/api/v1/api-keys', {
      token: world.affiliate.accessToken,
      body: { name: 'reports', scopes: ['reports:read'] },
    });
    const allowed = await call(app, 'GET', '/api/v1/ledger/balances', {
      token: ((await reporting.json()) as { key: string }).key,
    });
    expect(allowed.status).toBe(200);
  });
});
