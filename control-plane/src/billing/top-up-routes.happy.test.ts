import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session, signUp } from '../../test/api-client.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { accountBalances } from '../ledger/balances.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';

type TopUpBody = {
  id: string;
  status: string;
  checkoutUrl: string | null;
  amountMinor: number;
  currency: string;
};

describe.each(testDatabases)('/api/v1/top-ups on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let app: ReturnType<typeof testApp>;
  let processors: ProcessorDeps;
  let advertiser: Session;

  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    processors = fakes.processors();
    app = testApp(handle.db, { processors });
    advertiser = await signUp(app, 'advertiser');
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const balanceOf = async (kind: 'advertiser' | 'processor_cash', ownerId: string) =>
    (await accountBalances(handle.db, { kind, ownerId, limit: 10 })).rows.map((b) => [
      b.currency,
      b.postedMinor,
    ]);
  const deliver = (event: unknown) => {
    const { body, headers } = fakes.stripe.signed(event);
    return app.request('/webhooks/stripe', { method: 'POST', body, headers });
  };

  it('opens a Checkout page, and credits the balance once when Stripe says it was paid', async () => {
    const opened = await call(app, 'POST', '/api/v1/top-ups', {
      token: advertiser.accessToken,
      body: { amountMinor: 50_000, currency: 'USD' },
    });
    expect(opened.status).toBe(201);
    const topUp = (await opened.json()) as TopUpBody;
    expect(topUp).toMatchObject({ status: 'open', amountMinor: 50_000, currency: 'USD' });
    expect(topUp.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    // What Stripe was asked for: that amount, keyed by the top-up, the advertiser in the metadata.
    const request = fakes.stripe.requests.find((r) => r.path === '/v1/checkout/sessions');
    expect(request?.idempotencyKey).toBe(`top_up:${topUp.id}`);
    expect(request?.params).toMatchObject({
      mode: 'payment',
      metadata: { advertiser_id: String(advertiser.advertiserId), purpose: 'top_up' },
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '50000' } }],
    });
    // Opening credits nothing.
    expect(await balanceOf('advertiser', String(advertiser.advertiserId))).toEqual([]);

    const sessionId = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(topUp.checkoutUrl ?? '')?.[1] ?? '';
    const paid = fakes.stripe.completeCheckout(sessionId);
    expect((await deliver(paid)).status).toBe(200);
    expect((await deliver(paid)).status).toBe(200); // a replay credits nothing more
    expect(await balanceOf('advertiser', String(advertiser.advertiserId))).toEqual([['USD', 50_000]]);
    // Stripe holds the money for the network: an asset, debit-positive.
    expect(await balanceOf('processor_cash', 'stripe')).toEqual([['USD', 50_000]]);

    const list = await call(app, 'GET', '/api/v1/top-ups', { token: advertiser.accessToken });
    const { data } = (await list.json()) as { data: TopUpBody[] };
    expect(data.map((t) => [t.id, t.status, t.checkoutUrl])).toEqual([[topUp.id, 'paid', null]]);
    const reconciliation = await reconcileLedger(handle.db, { maxDifferences: 10 });
    expect(reconciliation.checks.find((c) => c.name === 'transfers')?.status).toBe('clean');
  });

  it('ends an unpaid top-up as expired, crediting nothing, and never un-pays a paid one', async () => {
    const opened = await call(app, 'POST', '/api/v1/top-ups', {
      token: advertiser.accessToken,
      body: { amountMinor: 2_000, currency: 'EUR' },
    });
    const topUp = (await opened.json()) as TopUpBody;
    const sessionId = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(topUp.checkoutUrl ?? '')?.[1] ?? '';
    const session = await processors.stripe!.client.checkout.sessions.retrieve(sessionId);
    const expired = {
      id: `evt_expired_${sessionId}`,
      object: 'event',
      type: 'checkout.session.expired',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...session, status: 'expired', payment_status: 'unpaid' } },
    };
    expect((await deliver(expired)).status).toBe(200);
    const list = await call(app, 'GET', '/api/v1/top-ups', { token: advertiser.accessToken });
    const { data } = (await list.json()) as { data: TopUpBody[] };
    expect(data.find((t) => t.id === topUp.id)?.status).toBe('expired');
    expect(await balanceOf('advertiser', String(advertiser.advertiserId))).toEqual([['USD', 50_000]]);
  });
});
