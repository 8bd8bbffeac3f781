import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';

describe.each(testDatabases)('/api/v1/affiliates access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let mine: Session;
  let theirs: Session;
  let advertiser: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
    mine = await signUp(app, 'affiliate');
    theirs = await signUp(app, 'affiliate');
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(() => handle.close());

  const routes = (id: number | null) =>
    [
      ['GET', '/api/v1/affiliates'],
      ['GET', `/api/v1/affiliates/${id}`],
      ['POST', '/api/v1/affiliates'],
      ['PATCH', `/api/v1/affiliates/${id}`],
      ['GET', `/api/v1/affiliates/${id}/payment-details`],
      ['PUT', `/api/v1/affiliates/${id}/payment-details`],
    ] as const;

  it('requires a credential on every route, and keeps advertisers out', async () => {
    for (const [method, path] of routes(mine.affiliateId)) {
      const anonymous = await call(app, method, path, { body: { companyName: 'X' } });
      expect([anonymous.status, await errorCode(anonymous)], `${method} ${path}`).toEqual([
        401,
        'unauthorized',
      ]);
      const byAdvertiser = await call(app, method, path, {
        token: advertiser.accessToken,
        body: { method: 'paypal', email: 'a@b.test' },
      });
      expect([byAdvertiser.status, await errorCode(byAdvertiser)], `${method} ${path}`).toEqual([
        403,
        'forbidden',
      ]);
    }
  });

  it('hides other affiliates and their payment details from an affiliate', async () => {
    await call(app, 'PUT', `/api/v1/affiliates/${theirs.affiliateId}/payment-details`, {
      token: theirs.accessToken,
      body: { method: 'paypal', email: 'theirs@pay.test' },
    });
    for (const [method, path] of routes(theirs.affiliateId).filter(([, p]) =>
      p.includes(`/${theirs.affiliateId}`),
    )) {
      const response = await call(app, method, path, {
        token: mine.accessToken,
        body: { method: 'paypal', email: 'attacker@pay.test', companyName: 'pwned' },
      });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([404, 'not_found']);
    }
    const list = await call(app, 'GET', '/api/v1/affiliates', { token: mine.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((a) => a.id)).toEqual([
      mine.affiliateId,
    ]);
    const details = await call(app, 'GET', `/api/v1/affiliates/${theirs.affiliateId}/payment-details`, {
      token: theirs.accessToken,
    });
    expect(await details.json()).toEqual({ paymentDetails: { method: 'paypal', email: 'theirs@pay.test' } });
  });

  it('does not let an affiliate activate itself or create affiliates', async () => {
    const self = await call(app, 'PATCH', `/api/v1/affiliates/${mine.affiliateId}`, {
      token: mine.accessToken,
      body: { status: 'active' },
    });
    expect([self.status, await errorCode(self)]).toEqual([403, 'forbidden']);
    const [row] = await handle.db.select().from(affiliates).where(eq(affiliates.id, mine.affiliateId!));
    expect(row?.status).toBe('pending');
    const create = await call(app, 'POST', '/api/v1/affiliates', {
      token: mine.accessToken,
      body: { companyName: 'X' },
    });
    expect(create.status).toBe(403);
  });

  it('never reveals payment details to API keys, even an admin key', async () => {
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'k', scopes: ['affiliates:read', 'affiliates:write'] },
      })
    ).json()) as { key: string };
    const response = await call(app, 'GET', `/api/v1/affiliates/${theirs.affiliateId}/payment-details`, {
      token: key.key,
    });
    expect([response.status, await errorCode(response)]).toEqual([403, 'forbidden']);
    expect(
      (await call(app, 'GET', `/api/v1/affiliates/${theirs.affiliateId}`, { token: key.key })).status,
    ).toBe(200);
  });
});
