import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { accountBalances } from '../ledger/balances.ts';

describe.each(testDatabases)('/api/v1/top-ups authorization on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let mine: Session;
  let theirs: Session;
  let affiliate: Session;
  let admin: Session;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    app = testApp(handle.db, { processors: fakes.processors() });
    [mine, theirs, affiliate] = await Promise.all([
      signUp(app, 'advertiser'),
      signUp(app, 'advertiser'),
      signUp(app, 'affiliate'),
    ]);
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const open_ = (session: Session, body: object) =>
    call(app, 'POST', '/api/v1/top-ups', { token: session.accessToken, body });

  it('lets an advertiser top up only its own balance, and see only its own top-ups', async () => {
    const refused = await open_(mine, {
      advertiserId: theirs.advertiserId,
      amountMinor: 1_000,
      currency: 'USD',
    });
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'forbidden']);
    expect((await open_(theirs, { amountMinor: 1_000, currency: 'USD' })).status).toBe(201);
    const listed = await call(app, 'GET', `/api/v1/top-ups?advertiserId=${theirs.advertiserId}`, {
      token: mine.accessToken,
    });
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('refuses affiliates and callers without a session', async () => {
    const asAffiliate = await open_(affiliate, { amountMinor: 1_000, currency: 'USD' });
    expect([asAffiliate.status, await errorCode(asAffiliate)]).toEqual([403, 'forbidden']);
    const anonymous = await call(app, 'POST', '/api/v1/top-ups', {
      body: { amountMinor: 1_000, currency: 'USD' },
    });
    expect(anonymous.status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/top-ups', { token: affiliate.accessToken })).status).toBe(403);
  });

  it('lets an admin open one for any advertiser, and sees them all', async () => {
    const opened = await open_(admin, {
      advertiserId: mine.advertiserId,
      amountMinor: 3_000,
      currency: 'USD',
    });
    expect(opened.status).toBe(201);
    expect(((await opened.json()) as { advertiserId: number }).advertiserId).toBe(mine.advertiserId);
    const missing = await open_(admin, { amountMinor: 3_000, currency: 'USD' });
    expect([missing.status, await errorCode(missing)]).toEqual([400, 'invalid_request']);
    const listed = await call(app, 'GET', '/api/v1/top-ups', { token: admin.accessToken });
    expect(((await listed.json()) as { data: unknown[] }).data.length).toBeGreaterThanOrEqual(2);
  });

  it('credits only what Stripe signed: a forged completion moves no money', async () => {
    const forged = {
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: 'cs_forged',
          object: 'checkout.session',
          mode: 'payment',
          status: 'complete',
          payment_status: 'paid',
          amount_total: 999_999,
          currency: 'usd',
          metadata: { advertiser_id: String(mine.advertiserId), purpose: 'top_up' },
        },
      },
    };
    const { body, headers } = fakes.stripe.signed(forged, { secret: 'whsec_not_the_endpoints' });
    const response = await app.request('/webhooks/stripe', { method: 'POST', body, headers });
    expect(response.status).toBe(400);
    const balances = await accountBalances(handle.db, {
      kind: 'advertiser',
      ownerId: String(mine.advertiserId),
      limit: 5,
    });
    expect(balances.rows).toEqual([]);
  });
});
