import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

const TERMS = {
  mode: 'postpaid',
  creditLimitByCurrency: { USD: 1_000_000 },
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
};

describe.each(testDatabases)('/api/v1/advertisers/{id}/billing authorization on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let mine: Session;
  let theirs: Session;
  let affiliate: Session;
  let admin: Session;

  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    [mine, theirs, affiliate] = await Promise.all([
      signUp(app, 'advertiser'),
      signUp(app, 'advertiser'),
      signUp(app, 'affiliate'),
    ]);
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  const path = (session: Session) => `/api/v1/advertisers/${session.advertiserId}/billing`;
  const keyOf = async (session: Session, scopes: string[]) =>
    (
      (await (
        await call(app, 'POST', '/api/v1/api-keys', {
          token: session.accessToken,
          body: { name: 'k', scopes },
        })
      ).json()) as { key: string }
    ).key;

  it("lets an advertiser read its own terms only: another's are as absent as a missing advertiser", async () => {
    expect((await call(app, 'GET', path(mine), { token: mine.accessToken })).status).toBe(200);
    const other = await call(app, 'GET', path(theirs), { token: mine.accessToken });
    expect([other.status, await errorCode(other)]).toEqual([404, 'not_found']);
  });

  it('lets no advertiser set terms, not even its own; only admins', async () => {
    for (const target of [mine, theirs]) {
      const response = await call(app, 'PUT', path(target), { token: mine.accessToken, body: TERMS });
      expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
    }
    const read = await call(app, 'GET', path(mine), { token: mine.accessToken });
    expect(await read.json()).toMatchObject({ creditLimitByCurrency: {} });
    const saved = await call(app, 'PUT', path(mine), { token: admin.accessToken, body: TERMS });
    expect(saved.status).toBe(200);
  });

  it('refuses affiliates and callers without credentials', async () => {
    for (const method of ['GET', 'PUT']) {
      const asAffiliate = await call(app, method, path(mine), { token: affiliate.accessToken, body: TERMS });
      expect([asAffiliate.status, await errorCode(asAffiliate)], method).toEqual([403, 'forbidden']);
      const anonymous = await call(app, method, path(mine), { body: TERMS });
      expect(anonymous.status, method).toBe(401);
    }
  });

  it('holds API keys to advertisers:read to read and advertisers:write to set', async () => {
    const adminReader = await keyOf(admin, ['advertisers:read']);
    expect((await call(app, 'GET', path(theirs), { token: adminReader })).status).toBe(200);
    const refused = await call(app, 'PUT', path(theirs), { token: adminReader, body: TERMS });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'forbidden']);
    const adminWriter = await keyOf(admin, ['advertisers:write']);
    expect((await call(app, 'PUT', path(theirs), { token: adminWriter, body: TERMS })).status).toBe(200);

    const offersOnly = await keyOf(mine, ['offers:read']);
    const noScope = await call(app, 'GET', path(mine), { token: offersOnly });
    expect([noScope.status, await errorCode(noScope)]).toEqual([403, 'forbidden']);
    expect(
      (await call(app, 'GET', path(mine), { token: await keyOf(mine, ['advertisers:read']) })).status,
    ).toBe(200);
  });
});
