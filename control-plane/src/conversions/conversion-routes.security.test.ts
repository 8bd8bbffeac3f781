import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/conversions access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('requires a credential on every route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/conversions'],
      ['GET', `/api/v1/conversions/${crypto.randomUUID()}`],
      ['POST', '/api/v1/conversions/changes'],
    ] as const) {
      const response = await call(app, method, path, { body: {} });
      expect([response.status, await errorCode(response)]).toEqual([401, 'unauthorized']);
    }
  });

  it("shows each advertiser and affiliate only its own conversions, and lets neither change others'", async () => {
    const mine = await conversionWorld(app, handle.db, 2);
    const theirs = await conversionWorld(app, handle.db, 2);
    for (const session of [theirs.advertiser, theirs.affiliate]) {
      const list = await call(app, 'GET', '/api/v1/conversions?limit=500', { token: session.accessToken });
      const ids = ((await list.json()) as { data: { id: string }[] }).data.map((c) => c.id);
      expect(ids.sort()).toEqual([...theirs.conversionIds].sort());
      const one = await call(app, 'GET', `/api/v1/conversions/${mine.conversionIds[0]}`, {
        token: session.accessToken,
      });
      expect([one.status, await errorCode(one)]).toEqual([404, 'not_found']);
    }
    // Another advertiser's conversions do not match, by id or by txid.
    for (const body of [
      { action: 'reject', conversionIds: mine.conversionIds, dryRun: false },
      { action: 'reject', offerId: mine.offer.id, txids: mine.txids, dryRun: false },
    ]) {
      const response = await call(app, 'POST', '/api/v1/conversions/changes', {
        token: theirs.advertiser.accessToken,
        body,
      });
      expect(await response.json()).toMatchObject({ matched: 0, changed: 0 });
    }
    const payoutByAdvertiser = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: mine.advertiser.accessToken,
      body: {
        action: 'adjust',
        conversionIds: mine.conversionIds,
        payoutMinor: 1,
        reason: 'x',
        dryRun: false,
      },
    });
    expect([payoutByAdvertiser.status, await errorCode(payoutByAdvertiser)]).toEqual([403, 'forbidden']);
    const byAffiliate = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: mine.affiliate.accessToken,
      body: { action: 'approve', conversionIds: mine.conversionIds, dryRun: false },
    });
    expect([byAffiliate.status, await errorCode(byAffiliate)]).toEqual([403, 'forbidden']);
    const check = await call(app, 'GET', `/api/v1/conversions?offerId=${mine.offer.id}&status=pending`, {
      token: mine.admin.accessToken,
    });
    expect(((await check.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('holds API keys to conversions:read and conversions:write', async () => {
    const w = await conversionWorld(app, handle.db, 1);
    const readKey = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: w.advertiser.accessToken,
        body: { name: 'r', scopes: ['conversions:read'] },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', '/api/v1/conversions', { token: readKey.key })).status).toBe(200);
    const write = await call(app, 'POST', '/api/v1/conversions/changes', {
      token: readKey.key,
      body: { action: 'approve', conversionIds: w.conversionIds },
    });
    expect([write.status, await errorCode(write)]).toEqual([403, 'forbidden']);
    const offersKey = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: (await signUp(app, 'advertiser')).accessToken,
        body: { name: 'o', scopes: ['offers:read'] },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', '/api/v1/conversions', { token: offersKey.key })).status).toBe(403);
  });
});
