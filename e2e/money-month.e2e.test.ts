import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { type PayPalFake, startPayPalFake } from '../control-plane/test/fakes/paypal-fake.ts';
import { type StripeFake, startStripeFake } from '../control-plane/test/fakes/stripe-fake.ts';
import type { Stack } from '../scripts/stack.ts';
import { type Api, apiAs, type Schemas } from './dashboard/api.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

type Page<T> = { data: T[] };
type Balance = Schemas['LedgerBalance'];
type RunResult = { dryRun: boolean; run: { id: string; status: string } | null; paid: PayoutLine[] };
type PayoutLine = { affiliateId: number; amountMinor: number | null; skipReason: string | null };
type Payout = { id: string; affiliateId: number; amountMinor: number; method: string; status: string };

/**
 * A month of an affiliate network's money through the real stack (edge in workerd, control plane,
 * PostgreSQL) with Stripe and PayPal as local fakes speaking their wire formats, driven as users
 * drive it: the advertiser tops up by Stripe Checkout, two affiliates send clicks and earn
 * conversions, the advertiser approves, rejects and reverses, the month's payout run pays one
 * affiliate over Stripe Connect and the other over PayPal Payouts, a reversal after payment is
 * clawed back from the next run, statements are issued, and the ledger reconciles clean. The
 * processors' webhooks reach the control plane signed, as Stripe and PayPal send them, replays
 * included. The network holds no conversions back (hold 0 days) so the month fits in a minute.
 */
describe('a month of money through the stack', () => {
  let stripe: StripeFake;
  let paypal: PayPalFake;
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let stack: Stack;
  let db: pg.Client;
  let admin: Api;
  let advertiser: Api;
  let stripeAffiliate: Api;
  let paypalAffiliate: Api;
  const ids = { advertiser: 0, stripeAffiliate: 0, paypalAffiliate: 0 };

  beforeAll(async () => {
    stripe = await startStripeFake();
    paypal = await startPayPalFake();
    env = await startE2EStack({
      apiEnv: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.url,
        PAYPAL_CLIENT_ID: paypal.clientId,
        PAYPAL_CLIENT_SECRET: paypal.clientSecret,
        PAYPAL_WEBHOOK_ID: paypal.webhookId,
        PAYPAL_API_BASE: paypal.url,
      },
    });
    ({ stack, db } = env);
    admin = await apiAs(stack.urls.api, DEMO_USERS.admin, DEMO_PASSWORD);
    advertiser = await apiAs(stack.urls.api, DEMO_USERS.advertiser, DEMO_PASSWORD);
    stripeAffiliate = await apiAs(stack.urls.api, DEMO_USERS.affiliate, DEMO_PASSWORD);
    const me = (api: Api) => api.get<Schemas['User']>('/api/v1/auth/me');
    ids.advertiser = (await me(advertiser)).advertiserId ?? 0;
    ids.stripeAffiliate = (await me(stripeAffiliate)).affiliateId ?? 0;

    // A second affiliate, made by an admin as the admin pages make one.
    const created = await admin.post<{ id: number }>('/api/v1/affiliates', {
      companyName: 'Northwind Deals',
      contactEmail: 'payouts@northwind.example.com',
    });
    ids.paypalAffiliate = created.id;
    await admin.post('/api/v1/users', {
      email: 'northwind@tas.localhost',
      password: DEMO_PASSWORD,
      role: 'affiliate',
      firstName: 'Nora',
      lastName: 'West',
      affiliateId: created.id,
    });
    paypalAffiliate = await apiAs(stack.urls.api, 'northwind@tas.localhost', DEMO_PASSWORD);
  }, 240_000);
  afterAll(async () => {
    await env?.stop();
    await stripe?.close();
    await paypal?.close();
  });

  /** Delivers a processor's event to the stack as the processor would, signed over the raw body. */
  const deliver = async (
    processor: 'stripe' | 'paypal',
    delivery: { body: string; headers: Record<string, string> },
  ) => {
    const response = await fetch(`${stack.urls.api}/webhooks/${processor}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const balances = async (api: Api, query = '') =>
    (await api.get<Page<Balance>>(`/api/v1/ledger/balances${query}`)).data;
  const balanceOf = (rows: Balance[], kind: string, ownerId: string) =>
    rows.find((b) => b.kind === kind && b.ownerId === ownerId && b.currency === 'USD');

  /** A visitor clicks the affiliate's link to the demo CPA offer; answers the click id. */
  const click = async (affiliateId: number, sub1: string) => {
    const response = await fetch(`${stack.urls.edge}/c/1?aff_id=${affiliateId}&sub1=${sub1}`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_UA },
    });
    expect(response.status).toBe(302);
    const clickId = new URL(response.headers.get('location') ?? '').searchParams.get('click_id');
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    return clickId ?? '';
  };
  /** The advertiser's server reports a sale for the click, pending its review. */
  const sale = async (clickId: string, txid: string) => {
    const response = await fetch(
      `${stack.urls.edge}/postback?click_id=${clickId}&amount=80.00&txid=${txid}&status=pending`,
    );
    expect(await response.json()).toMatchObject({ status: 'accepted' });
  };
  const conversionsOf = async (txids: string[]) => {
    const { rows } = await db.query<{ id: string; txid: string; status: string }>(
      'SELECT id, txid, status FROM conversions WHERE txid = ANY($1::text[]) ORDER BY txid',
      [txids],
    );
    return rows;
  };
  const change = (action: string, conversionIds: string[], reason?: string) =>
    advertiser.post('/api/v1/conversions/changes', {
      action,
      conversionIds,
      dryRun: false,
      ...(reason ? { reason } : {}),
    });

  it('runs the month: top-up, traffic, review, payouts over Stripe Connect and PayPal, clawback, statements, clean books', {
    timeout: 240_000,
  }, async () => {
    // Day 1. The network pays monthly, 10.00 minimum, and holds nothing back.
    await admin.put('/api/v1/payout-settings/network', {
      automatic: false,
      schedule: 'monthly',
      weeklyDay: 1,
      monthlyDay: 1,
      defaultMinimumMinor: 1000,
      minimumByCurrency: {},
      holdDays: 0,
    });

    // The advertiser prepays 500.00 through Stripe Checkout.
    const topUp = await advertiser.post<{ id: string; checkoutUrl: string | null; status: string }>(
      '/api/v1/top-ups',
      { amountMinor: 50_000, currency: 'USD' },
    );
    expect(topUp).toMatchObject({ status: 'open', checkoutUrl: expect.stringContaining('checkout') });
    const [opened] = (
      await db.query<{ checkout_session_id: string }>(
        'SELECT checkout_session_id FROM top_ups WHERE id = $1',
        [topUp.id],
      )
    ).rows;
    const paidEvent = stripe.completeCheckout(opened?.checkout_session_id ?? '');
    const paidDelivery = stripe.signed(paidEvent);
    await deliver('stripe', paidDelivery);
    await deliver('stripe', paidDelivery); // Stripe retries what it thinks went unanswered.
    expect(balanceOf(await balances(advertiser), 'advertiser', String(ids.advertiser))).toMatchObject({
      postedMinor: 50_000,
      pendingMinor: 0,
    });

    // The affiliates choose how they are paid: Stripe Connect (onboarded at Stripe) and PayPal.
    await stripeAffiliate.put(`/api/v1/payout-settings/affiliates/${ids.stripeAffiliate}`, {
      method: 'stripe_connect',
    });
    const onboarding = await stripeAffiliate.post<{ url: string; stripeAccountId: string }>(
      `/api/v1/payout-settings/affiliates/${ids.stripeAffiliate}/stripe-onboarding`,
      {},
    );
    await deliver('stripe', stripe.signed(stripe.completeOnboarding(onboarding.stripeAccountId)));
    expect(
      await stripeAffiliate.get(`/api/v1/payout-settings/affiliates/${ids.stripeAffiliate}`),
    ).toMatchObject({ method: 'stripe_connect', stripePayoutsEnabled: true });
    await paypalAffiliate.put(`/api/v1/payout-settings/affiliates/${ids.paypalAffiliate}`, {
      method: 'paypal',
      paypalEmail: 'payee@northwind.example.com',
    });

    // Days 2-20. Traffic: 8 clicks each, 5 and 4 sales reported pending by the advertiser.
    const stripeTx = ['M-S1', 'M-S2', 'M-S3', 'M-S4', 'M-S5'];
    const paypalTx = ['M-P1', 'M-P2', 'M-P3', 'M-P4'];
    for (const [affiliateId, txids] of [
      [ids.stripeAffiliate, stripeTx],
      [ids.paypalAffiliate, paypalTx],
    ] as const) {
      for (let i = 0; i < 8; i++) {
        const clickId = await click(affiliateId, `day-${i + 2}`);
        const txid = txids[i];
        if (txid) await sale(clickId, txid);
      }
    }
    const all = [...stripeTx, ...paypalTx];
    const stored = await eventually(
      () => conversionsOf(all),
      (rows) => rows.length === all.length,
    );
    expect(stored.map((c) => c.status)).toEqual(all.map(() => 'pending'));
    const idOf = new Map(stored.map((c) => [c.txid, c.id]));
    const idsOf = (txids: string[]) => txids.map((t) => idOf.get(t) ?? '');
    // Pending sales are holds: 9 x 25.00 of the advertiser's money is spoken for, nothing owed yet.
    expect(balanceOf(await balances(advertiser), 'advertiser', String(ids.advertiser))).toMatchObject({
      postedMinor: 50_000,
      pendingMinor: -22_500,
    });

    // Day 25. The advertiser reviews: one sale was a test order, one is refunded after approval.
    await change('approve', idsOf(['M-S1', 'M-S2', 'M-S3', 'M-S4', 'M-P1', 'M-P2', 'M-P3', 'M-P4']));
    await change('reject', idsOf(['M-S5']));
    await change('reverse', idsOf(['M-P4']), 'order refunded');
    expect(
      balanceOf(await balances(stripeAffiliate), 'affiliate_payable', String(ids.stripeAffiliate)),
    ).toMatchObject({ postedMinor: 6_000, pendingMinor: 0 });
    expect(
      balanceOf(await balances(paypalAffiliate), 'affiliate_payable', String(ids.paypalAffiliate)),
    ).toMatchObject({ postedMinor: 4_500, pendingMinor: 0 });

    // Day 1 of the next month. The admin looks at the run before paying anyone.
    const dry = await admin.post<RunResult>('/api/v1/payout-runs', {});
    expect(dry.run).toBeNull();
    const due = (lines: PayoutLine[]) =>
      Object.fromEntries(lines.map((line) => [line.affiliateId, line.amountMinor]));
    expect(due(dry.paid)).toEqual({ [ids.stripeAffiliate]: 6_000, [ids.paypalAffiliate]: 4_500 });
    expect(stripe.transfers.size).toBe(0);
    expect(paypal.batchCount()).toBe(0);

    const applied = await admin.post<RunResult>('/api/v1/payout-runs', { dryRun: false });
    expect(applied.run).toMatchObject({ status: 'completed' });
    expect(due(applied.paid)).toEqual(due(dry.paid));
    const [transfer] = [...stripe.transfers.values()];
    expect(stripe.transfers.size).toBe(1);
    expect(transfer).toMatchObject({
      amount: 6_000,
      currency: 'usd',
      destination: onboarding.stripeAccountId,
    });
    expect(paypal.batchCount()).toBe(1);
    // PayPal works the batch off and says so, twice (a redelivery).
    for (const event of paypal.settle()) {
      const delivery = paypal.signed(event);
      await deliver('paypal', delivery);
      await deliver('paypal', delivery);
    }
    const runPayouts = async () =>
      (await admin.get<Page<Payout>>(`/api/v1/payouts?runId=${applied.run?.id}`)).data;
    expect(
      (await runPayouts()).map((p) => [p.affiliateId, p.method, p.amountMinor, p.status]).sort(),
    ).toEqual(
      [
        [ids.stripeAffiliate, 'stripe_connect', 6_000, 'paid'],
        [ids.paypalAffiliate, 'paypal', 4_500, 'paid'],
      ].sort(),
    );
    // Resuming the finished run, or running again, pays nobody twice.
    await admin.post(`/api/v1/payout-runs/${applied.run?.id}/resume`, {});
    const again = await admin.post<RunResult>('/api/v1/payout-runs', {});
    expect(again.paid).toEqual([]);
    expect(stripe.transfers.size).toBe(1);
    expect(paypal.batchCount()).toBe(1);

    // The affiliate's statement of its payout, as HTML and PDF, names the money it was paid for.
    const [stripePayout] = (await stripeAffiliate.get<Page<Payout>>('/api/v1/payouts')).data;
    expect(stripePayout).toMatchObject({ amountMinor: 6_000, status: 'paid' });
    const statement = await stripeAffiliate.raw(`/api/v1/payouts/${stripePayout?.id}/statement.html`);
    expect(statement.status).toBe(200);
    const html = await statement.text();
    expect(html).toContain('60.00');
    expect(html).toContain('Demo Media');
    const pdf = await stripeAffiliate.raw(`/api/v1/payouts/${stripePayout?.id}/statement.pdf`);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    // And one affiliate's statement is not another's to read.
    const foreign = await paypalAffiliate.raw(`/api/v1/payouts/${stripePayout?.id}/statement.html`);
    expect(foreign.status).toBe(404);

    // Next month, day 3. A paid sale is refunded: the affiliate owes it back (a clawback)...
    await change('reverse', idsOf(['M-S4']), 'chargeback');
    expect(
      balanceOf(await balances(stripeAffiliate), 'affiliate_payable', String(ids.stripeAffiliate)),
    ).toMatchObject({ postedMinor: -1_500 });
    // ...and the next two sales pay it back before anything is paid out.
    const nextTx = ['M-S6', 'M-S7'];
    for (const txid of nextTx) await sale(await click(ids.stripeAffiliate, 'next-month'), txid);
    const next = await eventually(
      () => conversionsOf(nextTx),
      (rows) => rows.length === nextTx.length,
    );
    await change(
      'approve',
      next.map((c) => c.id),
    );
    const second = await admin.post<RunResult>('/api/v1/payout-runs', { dryRun: false });
    expect(due(second.paid)).toEqual({ [ids.stripeAffiliate]: 1_500 });
    expect([...stripe.transfers.values()].map((t) => t.amount).sort()).toEqual([1_500, 6_000]);

    // The books. The advertiser paid 500.00 and owes 8 approved sales at 25.00; the network kept
    // 10.00 of each; each affiliate was paid what it earned, net of the clawback, and is owed nothing.
    const books = await balances(admin, '?limit=100');
    expect(balanceOf(books, 'advertiser', String(ids.advertiser))).toMatchObject({
      postedMinor: 50_000 - 8 * 2_500,
      pendingMinor: 0,
    });
    expect(balanceOf(books, 'network_revenue', 'network')).toMatchObject({ postedMinor: 8 * 1_000 });
    expect(balanceOf(books, 'affiliate_payable', String(ids.stripeAffiliate))).toMatchObject({
      postedMinor: 0,
    });
    expect(balanceOf(books, 'affiliate_payable', String(ids.paypalAffiliate))).toMatchObject({
      postedMinor: 0,
    });
    // The advertiser's statement of the month: opening and closing balances and every movement.
    const period = new Date().toISOString().slice(0, 7);
    const monthly = await advertiser.raw(
      `/api/v1/advertisers/${ids.advertiser}/statements?period=${period}&currency=USD&format=html`,
    );
    expect(monthly.status).toBe(200);
    const advertiserHtml = await monthly.text();
    for (const figure of ['500.00', '300.00', 'Acme Shop']) expect(advertiserHtml).toContain(figure);
    const monthlyPdf = await advertiser.raw(
      `/api/v1/advertisers/${ids.advertiser}/statements?period=${period}&currency=USD&format=pdf`,
    );
    expect(
      Buffer.from(await monthlyPdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // Every check ran, the processors' records (Stripe's sessions and transfers, PayPal's batch
    // items) included, and found nothing.
    const reconciliation = await admin.get<Schemas['LedgerReconciliation']>('/api/v1/ledger/reconciliation');
    expect(reconciliation.differences).toEqual([]);
    expect(reconciliation).toMatchObject({ clean: true, complete: true });
    expect(reconciliation.checks.map((c) => `${c.name}:${c.status}`)).toEqual([
      'transfers:clean',
      'conversions:clean',
      'payouts:clean',
      'invoices:clean',
      'processors:clean',
    ]);
  });

  it('stops a prepaid advertiser at the edge when its money runs out, and serves again on a top-up', {
    timeout: 120_000,
  }, async () => {
    // The network moves the advertiser to prepaid terms: 300.00 left, warned below 100.00.
    await admin.put(`/api/v1/advertisers/${ids.advertiser}/billing`, {
      mode: 'prepaid',
      creditLimitByCurrency: {},
      lowBalanceByCurrency: { USD: 10_000 },
      invoicePeriod: 'monthly',
      netTermsDays: 30,
    });
    const funds = async () =>
      (
        await advertiser.get<Schemas['AdvertiserBilling']>(`/api/v1/advertisers/${ids.advertiser}/billing`)
      ).funds.find((f) => f.currency === 'USD');
    expect(await funds()).toMatchObject({ balanceMinor: 30_000, state: 'available', stoppedAtEdge: false });

    // A big-ticket order: its revenue, agreed at 300.00, spends the balance to zero.
    await sale(await click(ids.stripeAffiliate, 'big-order'), 'M-BIG');
    const [big] = await eventually(
      () => conversionsOf(['M-BIG']),
      (rows) => rows.length === 1,
    );
    await change('approve', [big?.id ?? '']);
    await advertiser.post('/api/v1/conversions/changes', {
      action: 'adjust',
      conversionIds: [big?.id],
      revenueMinor: 30_000,
      reason: 'bulk order, revenue agreed by phone',
      dryRun: false,
    });
    expect(await funds()).toMatchObject({ balanceMinor: 0, state: 'exhausted', stoppedAtEdge: true });
    // The edge sends visitors to the offer's fallback, with no click to pay for...
    const landing = async () => {
      const response = await fetch(`${stack.urls.edge}/c/1?aff_id=${ids.paypalAffiliate}`, {
        redirect: 'manual',
        headers: { 'user-agent': BROWSER_UA },
      });
      return response.headers.get('location') ?? '';
    };
    expect(await eventually(landing, (to) => to === 'https://shop.example.com/')).toBe(
      'https://shop.example.com/',
    );

    // ...until the advertiser tops up again.
    const topUp = await advertiser.post<{ id: string }>('/api/v1/top-ups', {
      amountMinor: 20_000,
      currency: 'USD',
    });
    const [opened] = (
      await db.query<{ checkout_session_id: string }>(
        'SELECT checkout_session_id FROM top_ups WHERE id = $1',
        [topUp.id],
      )
    ).rows;
    await deliver('stripe', stripe.signed(stripe.completeCheckout(opened?.checkout_session_id ?? '')));
    expect(await funds()).toMatchObject({ balanceMinor: 20_000, state: 'available', stoppedAtEdge: false });
    expect(await eventually(landing, (to) => to.includes('click_id='))).toContain('click_id=');

    const reconciliation = await admin.get<Schemas['LedgerReconciliation']>('/api/v1/ledger/reconciliation');
    expect(reconciliation.differences).toEqual([]);
    expect(reconciliation.clean).toBe(true);
  });
});
