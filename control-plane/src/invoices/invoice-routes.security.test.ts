import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { afterThisMonth, owingWorld } from '../../test/invoice-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { invoices } from '../db/schema/invoices.ts';

describe.each(testDatabases)('/api/v1/invoices authorization on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let owner: Session;
  let other: Session;
  let affiliate: Session;
  let invoiceId: string;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors(), now: () => afterThisMonth() });
    const world = await owingWorld(app, handle.db);
    owner = world.advertiser;
    affiliate = world.affiliate;
    other = await signUp(app, 'advertiser');
    const run = await call(app, 'POST', '/api/v1/invoices/run', {
      token: world.admin.accessToken,
      body: { dryRun: false },
    });
    expect(run.status).toBe(200);
    [{ id: invoiceId }] = (await handle.db.select({ id: invoices.id }).from(invoices)) as [{ id: string }];
    // A refusal by Stripe is for admins' eyes.
    await handle.db
      .update(invoices)
      .set({ failure: 'authentication: Invalid API Key provided: sk_live_****' });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  it("keeps another advertiser's invoices out of sight: absent from its list, 404 by id", async () => {
    const listed = await call(app, 'GET', `/api/v1/invoices?advertiserId=${owner.advertiserId}`, {
      token: other.accessToken,
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
    const one = await call(app, 'GET', `/api/v1/invoices/${invoiceId}`, { token: other.accessToken });
    expect([one.status, await errorCode(one)]).toEqual([404, 'not_found']);
    const own = await call(app, 'GET', `/api/v1/invoices/${invoiceId}`, { token: owner.accessToken });
    expect(((await own.json()) as { failure: string | null }).failure).toBeNull();
  });

  it('refuses affiliates, advertisers running invoicing, and callers without credentials', async () => {
    for (const path of ['/api/v1/invoices', `/api/v1/invoices/${invoiceId}`]) {
      const refused = await call(app, 'GET', path, { token: affiliate.accessToken });
      expect([refused.status, await errorCode(refused)], path).toEqual([403, 'forbidden']);
      expect((await call(app, 'GET', path)).status, path).toBe(401);
    }
    const run = await call(app, 'POST', '/api/v1/invoices/run', { token: owner.accessToken, body: {} });
    expect([run.status, await errorCode(run)]).toEqual([403, 'forbidden']);
    expect((await call(app, 'POST', '/api/v1/invoices/run', { body: {} })).status).toBe(401);
  });

  it('needs an API key to have the scope: reports:read to read', async () => {
    const created = await call(app, 'POST', '/api/v1/api-keys', {
      token: owner.accessToken,
      body: { name: 'offers only', scopes: ['offers:read'] },
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const refused = await call(app, 'GET', '/api/v1/invoices', { token: key });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'forbidden']);
  });
});
