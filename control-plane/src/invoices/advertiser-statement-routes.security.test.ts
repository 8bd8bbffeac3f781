import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/advertisers/{id}/statements authorization on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let owner: Session;
  let other: Session;
  let affiliate: Session;

  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    [owner, other, affiliate] = await Promise.all([
      signUp(app, 'advertiser'),
      signUp(app, 'advertiser'),
      signUp(app, 'affiliate'),
    ]);
  });
  afterAll(() => handle.close());

  const statement = (session: Session | null, advertiserId: number | null) =>
    call(app, 'GET', `/api/v1/advertisers/${advertiserId}/statements?period=2026-11&currency=USD`, {
      token: session?.accessToken,
    });

  it("answers another advertiser's statement as absent", async () => {
    const response = await statement(other, owner.advertiserId);
    expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
    expect((await statement(owner, owner.advertiserId)).status).toBe(200);
  });

  it('refuses affiliates and callers without credentials', async () => {
    const asAffiliate = await statement(affiliate, owner.advertiserId);
    expect([asAffiliate.status, await errorCode(asAffiliate)]).toEqual([403, 'forbidden']);
    expect((await statement(null, owner.advertiserId)).status).toBe(401);
  });

  it('escapes what advertisers wrote, so a statement cannot carry script', async () => {
    const renamed = await call(app, 'PATCH', `/api/v1/advertisers/${owner.advertiserId}`, {
      token: owner.accessToken,
      body: { companyName: '<script>alert(1)</script>' },
    });
    expect(renamed.status).toBe(200);
    const html = await (await statement(owner, owner.advertiserId)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
