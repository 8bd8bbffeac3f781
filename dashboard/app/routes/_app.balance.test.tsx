import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import BalancePage, { action, loader } from './_app.balance';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

type Balance = Schemas['LedgerBalance'];
type Transfer = Schemas['LedgerTransfer'];

const account = (kind: Balance['kind'], ownerId: string, currency: string) => ({ kind, ownerId, currency });

function transfer(
  id: number,
  kind: Transfer['kind'],
  layer: 'pending' | 'posted',
  presentedMinor: number,
): Transfer {
  return {
    id,
    idempotencyKey: `conversion:c-${id}:1`,
    kind,
    conversionId: `0000000${id}-0000-4000-8000-000000000000`,
    payoutId: null,
    pendingTransferId: null,
    memo: null,
    createdAt: '2026-11-29T10:00:00.000Z',
    entries: [
      {
        accountId: 3,
        account: account('affiliate_payable', '1', 'USD'),
        layer,
        amountMinor: -presentedMinor,
        presentedMinor,
      },
    ],
  };
}

/** The API as the viewer's role sees it; every query and the reconciliation asked for are kept. */
function page(
  initial: string,
  role: Viewer['role'],
  balances: Balance[],
  billing?: Schemas['AdvertiserBilling'],
) {
  const queries: { path: string; query: unknown; pathParams?: unknown }[] = [];
  const read = async (path: string, init?: { params?: { query?: unknown; path?: unknown } }) => {
    queries.push({ path, query: init?.params?.query, pathParams: init?.params?.path });
    if (path === '/api/v1/advertisers/{advertiserId}/billing' && billing)
      return { data: billing, response: new Response() };
    if (path === '/api/v1/ledger/balances')
      return { data: { data: balances, nextAfter: null }, response: new Response() };
    if (path === '/api/v1/ledger/transfers')
      return {
        data: {
          data: [transfer(1, 'post', 'posted', 1500), transfer(2, 'hold', 'pending', 2200)],
          nextAfter: 2,
        },
        response: new Response(),
      };
    if (path === '/api/v1/top-ups')
      return {
        data: {
          data: [
            {
              id: 't-0',
              advertiserId: 1,
              amountMinor: 50_000,
              currency: 'USD',
              status: 'paid',
              checkoutUrl: null,
              createdAt: '2026-11-28T10:00:00.000Z',
              settledAt: '2026-11-28T10:01:00.000Z',
              failure: null,
            },
          ],
          nextBefore: null,
        },
        response: new Response(),
      };
    if (path === '/api/v1/ledger/reconciliation')
      return {
        data: {
          checkedAt: '2026-11-29T12:00:00.000Z',
          clean: false,
          complete: false,
          checks: [
            { name: 'transfers', status: 'clean', differences: 0 },
            { name: 'conversions', status: 'differences', differences: 1 },
          ],
          differences: [
            {
              check: 'conversions',
              code: 'conversion_not_posted',
              message: 'Conversion 0000 has no ledger entries (run `ledger sync`).',
              transferId: null,
              conversionId: '00000009-0000-4000-8000-000000000000',
              payoutId: null,
              account: null,
              layer: null,
              expectedMinor: null,
              actualMinor: null,
            },
          ],
          differencesTotal: 1,
        },
        response: new Response(),
      };
    return {
      data: undefined,
      error: { message: 'not found' },
      response: new Response(null, { status: 404 }),
    };
  };
  const posted: unknown[] = [];
  const write = async (path: string, init: { body: unknown }) => {
    posted.push({ path, body: init.body });
    return {
      data: { id: 't-1', status: 'open', checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_1' },
      response: new Response(null, { status: 201 }),
    };
  };
  const api = { GET: read, POST: write } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 1 : null,
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const Stub = createRoutesStub(
    [{ path: '/balance', Component: BalancePage as never, loader: loader as never, action: action as never }],
    context,
  );
  render(<Stub initialEntries={[initial]} />);
  return { queries, context, posted };
}

const balance = (
  kind: Balance['kind'],
  ownerId: string,
  currency: string,
  postedMinor: number,
  pendingMinor: number,
) => ({
  accountId: 1,
  kind,
  ownerId,
  currency,
  postedMinor,
  pendingMinor,
});

function reconcileForm() {
  const form = new FormData();
  form.set('intent', 'reconcile');
  return form;
}

describe('balance', () => {
  it('shows an affiliate what it earned per currency, what is pending, and its movements', async () => {
    page('/balance', 'affiliate', [
      balance('affiliate_payable', '1', 'USD', 354_662, 34_793),
      balance('affiliate_payable', '1', 'EUR', 88_000, 15_400),
    ]);
    const cards = await screen.findByRole('region', { name: 'Balances' });
    expect(within(cards).getByText('$3,546.62')).toBeInTheDocument();
    expect(within(cards).getByText('€880.00')).toBeInTheDocument();
    expect(within(cards).getByText('$347.93')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Ledger movements' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[3]?.textContent)).toEqual([
      '$15.00',
      '$22.00pending',
    ]);
    expect(screen.getByRole('link', { name: 'Next page' })).toHaveAttribute('href', '/balance?after=2');
    // Reconciling is the admins'.
    expect(screen.queryByRole('button', { name: 'Reconcile' })).toBeNull();
  });

  it('tells an advertiser what it owes when its balance is negative', async () => {
    page('/balance', 'advertiser', [balance('advertiser', '1', 'USD', -12_345, 500)]);
    const cards = await screen.findByRole('region', { name: 'Balances' });
    expect(within(cards).getByText(/You owe/)).toBeInTheDocument();
    expect(within(cards).getByText('$123.45')).toBeInTheDocument();
  });

  it('shows an advertiser its billing terms, and says plainly when its offers are stopped for want of money', async () => {
    const funds = (currency: string, state: 'available' | 'low' | 'exhausted', availableMinor: number) => ({
      currency,
      balanceMinor: availableMinor + 2500,
      pendingHoldsMinor: 2500,
      creditLimitMinor: null,
      lowBalanceMinor: 10_000,
      availableMinor,
      state,
      stoppedAtEdge: state === 'exhausted',
    });
    const { queries } = page('/balance', 'advertiser', [balance('advertiser', '1', 'USD', 0, 2500)], {
      advertiserId: 1,
      mode: 'prepaid',
      creditLimitByCurrency: {},
      lowBalanceByCurrency: { USD: 10_000, EUR: 10_000 },
      invoicePeriod: 'monthly',
      netTermsDays: 30,
      stripeCustomerId: null,
      termsSaved: true,
      funds: [funds('EUR', 'low', 4000), funds('USD', 'exhausted', -2500)],
    });
    const stopped = await screen.findByRole('alert');
    expect(stopped).toHaveTextContent('Offers stopped: USD balance exhausted — add funds');
    expect(within(stopped).getByRole('link', { name: 'add funds' })).toHaveAttribute(
      'href',
      '#top-up-amount',
    );
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent(
      'Low EUR balance: €40.00 left, below €100.00',
    );
    const terms = screen.getByRole('region', { name: 'Billing terms and funds' });
    expect(terms).toHaveTextContent(/Prepaid: you add funds/);
    expect(terms).toHaveTextContent('Low-balance alert$100.00, €100.00');
    const table = within(terms).getByRole('table', { name: 'Funds per currency' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'CurrencyBalanceHeld by pendingAvailableOffers',
      'EUR€65.00€25.00€40.00low balance',
      'USD$0.00$25.00-$25.00offers stopped',
    ]);
    expect(queries.find((q) => q.path === '/api/v1/advertisers/{advertiserId}/billing')?.pathParams).toEqual({
      advertiserId: '1',
    });
  });

  it('sends an advertiser adding funds to Stripe with the amount in minor units, or says what is wrong', async () => {
    const { context, posted } = page('/balance', 'advertiser', [
      balance('advertiser', '1', 'USD', 50_000, 0),
    ]);
    const recent = await screen.findByRole('list', { name: 'Recent top-ups' });
    expect(recent).toHaveTextContent('$500.00');
    const send = (amount: string, currency = 'USD') => {
      const body = new FormData();
      body.set('intent', 'top-up');
      body.set('amount', amount);
      body.set('currency', currency);
      return action({
        request: new Request('http://localhost/balance', { method: 'POST', body }),
        params: {},
        context,
      } as never);
    };
    const sent = await send('250.5').catch((thrown: unknown) => thrown);
    expect(sent).toBeInstanceOf(Response);
    expect((sent as Response).status).toBe(302);
    expect((sent as Response).headers.get('Location')).toBe('https://checkout.stripe.com/c/pay/cs_test_1');
    expect(posted).toEqual([{ path: '/api/v1/top-ups', body: { amountMinor: 25_050, currency: 'USD' } }]);
    for (const [amount, currency, field] of [
      ['0.50', 'USD', 'amount'],
      ['12.345', 'USD', 'amount'],
      ['abc', 'USD', 'amount'],
      ['100', 'XYZ', 'currency'],
    ] as const) {
      const answer = await send(amount, currency);
      expect(answer, `${amount} ${currency}`).toMatchObject({ init: { status: 400 }, data: { field } });
    }
    expect(posted).toHaveLength(1);
  });

  it('lists an admin the accounts of the kind in the URL, and reconciles on request', async () => {
    const { queries } = page('/balance?kind=affiliate_payable', 'admin', [
      balance('affiliate_payable', '7', 'USD', 1_000, 0),
    ]);
    const table = await screen.findByRole('table', { name: 'Account balances' });
    expect(within(table).getByRole('link', { name: 'Affiliate #7' })).toHaveAttribute(
      'href',
      '/affiliates/7',
    );
    expect(queries.find((q) => q.path === '/api/v1/ledger/balances')?.query).toMatchObject({
      kind: 'affiliate_payable',
    });
    // Not on every visit: the check reads every conversion.
    expect(queries.some((q) => q.path === '/api/v1/ledger/reconciliation')).toBe(false);
    // The latest movements first.
    expect(queries.find((q) => q.path === '/api/v1/ledger/transfers')?.query).toMatchObject({
      order: 'desc',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Reconcile' }));
    const result = await screen.findByRole('region', { name: 'Reconciliation' });
    expect(result).toHaveTextContent('1 difference found.');
    expect(result).toHaveTextContent('conversion_not_posted');
  });

  it('refuses the reconciliation to anyone but an admin', async () => {
    const { context, queries } = page('/balance', 'affiliate', []);
    await screen.findByText('No money has moved yet');
    await expect(
      action({
        request: new Request('http://localhost/balance', { method: 'POST', body: reconcileForm() }),
        params: {},
        context,
      } as never),
    ).rejects.toMatchObject({ init: { status: 403 } });
    expect(queries.some((q) => q.path === '/api/v1/ledger/reconciliation')).toBe(false);
  });
});
