import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import PayoutsPage, { action, loader } from './_app.payouts';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

// Radix's Switch measures its hidden form input; jsdom has no ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

const RUN_ID = '01a22922-32f2-7d0d-a13c-02b53c843e66';
const PAYOUT_ID = '01a22922-32f2-7580-ab27-210b77babffe';

const payout = (overrides: Partial<Schemas['Payout']> = {}): Schemas['Payout'] => ({
  id: PAYOUT_ID,
  runId: RUN_ID,
  affiliateId: 1,
  currency: 'EUR',
  amountMinor: 88_000,
  method: 'bank_transfer',
  status: 'paid',
  processorReference: null,
  failureReason: null,
  createdAt: '2026-11-29T21:07:00.000Z',
  sentAt: '2026-11-29T21:07:00.000Z',
  settledAt: '2026-11-29T21:09:00.000Z',
  ...overrides,
});

const run = (overrides: Partial<Schemas['PayoutRun']> = {}): Schemas['PayoutRun'] => ({
  id: RUN_ID,
  startedBy: '00000000-0000-4000-8000-000000000001',
  periodKey: null,
  schedule: null,
  cutoff: '2026-11-29T21:07:00.000Z',
  status: 'completed',
  paypalBatchId: null,
  lastError: null,
  createdAt: '2026-11-29T21:07:00.000Z',
  completedAt: '2026-11-29T21:07:05.000Z',
  ...overrides,
});

const line = (
  affiliateId: number,
  currency: string,
  amountMinor: number | null,
  skipReason: Schemas['PayoutLine']['skipReason'] = null,
): Schemas['PayoutLine'] => ({
  affiliateId,
  currency,
  balanceMinor: amountMinor ?? 1_000,
  heldMinor: 0,
  dueMinor: amountMinor ?? 1_000,
  minimumMinor: 5_000,
  method: skipReason === 'no_method' ? null : 'bank_transfer',
  amountMinor,
  skipReason,
});

const networkSettings: Schemas['NetworkPayoutSettings'] = {
  automatic: false,
  schedule: 'monthly',
  weeklyDay: 1,
  monthlyDay: 1,
  defaultMinimumMinor: 5_000,
  minimumByCurrency: { JPY: 5_000 },
  holdDays: 30,
};

type Call = { method: string; path: string; init: unknown };

/** The API as the role sees it; every call kept. */
function setup(
  role: Viewer['role'],
  {
    payouts = [payout()],
    runs = [run()],
  }: { payouts?: Schemas['Payout'][]; runs?: Schemas['PayoutRun'][] } = {},
) {
  const calls: Call[] = [];
  const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/payouts') return ok({ data: payouts, nextAfter: null });
      if (path === '/api/v1/payout-runs') return ok({ data: runs, nextAfter: null });
      if (path === '/api/v1/payout-settings/network') return ok(networkSettings);
      if (path === '/api/v1/payout-settings/affiliates/{affiliateId}')
        return ok({
          affiliateId: 1,
          method: null,
          stripeAccountId: null,
          stripePayoutsEnabled: false,
          paypalEmail: null,
          schedule: null,
          minimumMinor: null,
          holdDays: null,
        });
      return {
        error: { error: { code: 'not_found', message: 'No such thing.' } },
        response: new Response(null, { status: 404 }),
      };
    },
    POST: async (path: string, init?: { body?: { dryRun?: boolean } }) => {
      calls.push({ method: 'POST', path, init });
      if (path === '/api/v1/payout-runs')
        return ok({
          dryRun: init?.body?.dryRun ?? true,
          cutoff: '2026-11-29T21:07:00.000Z',
          run: init?.body?.dryRun === false ? run() : null,
          paid: [line(1, 'EUR', 88_000), line(1, 'USD', 354_662), line(2, 'USD', 10_000)],
          skipped: [line(3, 'USD', null, 'no_method'), line(4, 'EUR', null, 'below_minimum')],
        });
      if (path === '/api/v1/payout-settings/affiliates/{affiliateId}/stripe-onboarding')
        return ok({
          url: 'https://connect.stripe.com/setup/e/acct_1/abc',
          expiresAt: '2026-11-29T22:00:00.000Z',
          stripeAccountId: 'acct_1',
        });
      if (path === '/api/v1/payout-runs/{id}/resume') return ok(run());
      return {
        error: { error: { code: 'not_found', message: 'No such thing.' } },
        response: new Response(null, { status: 404 }),
      };
    },
    PUT: async (path: string, init?: { body?: unknown }) => {
      calls.push({ method: 'PUT', path, init });
      return ok(init?.body);
    },
  } as unknown as ApiClient;
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
  const post = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return action({
      request: new Request('http://localhost/payouts', { method: 'POST', body }),
      params: {},
      context,
    } as never);
  };
  const show = (initial = '/payouts') => {
    const Stub = createRoutesStub(
      [
        {
          path: '/payouts',
          Component: PayoutsPage as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[initial]} />);
  };
  return { calls, context, post, show };
}

const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('payouts for an affiliate', () => {
  it('lists its payouts with amount, status and statement links, and its own settings', async () => {
    const { calls, show } = setup('affiliate', {
      payouts: [
        payout(),
        payout({
          id: '01a22922-32f2-743f-93a0-3379c2732ef9',
          currency: 'USD',
          amountMinor: 354_662,
          status: 'failed',
          failureReason: 'Account closed',
          settledAt: null,
        }),
      ],
    });
    show('/payouts?after=01a22922-32f2-743f-93a0-3379c2732ef9');
    const table = await screen.findByRole('table', { name: 'Your payouts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('€880.00');
    expect(rows[0]).toHaveTextContent('Bank transfer');
    expect(rows[0]).toHaveTextContent('paid');
    expect(rows[1]).toHaveTextContent('$3,546.62');
    expect(rows[1]).toHaveTextContent('Account closed');
    const view = within(rows[0] as HTMLElement).getByRole('link', { name: /View/ });
    expect(view).toHaveAttribute('href', `/payouts/${PAYOUT_ID}/statement.html`);
    expect(view).toHaveAttribute('target', '_blank');
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: 'PDF' })).toHaveAttribute(
      'href',
      `/payouts/${PAYOUT_ID}/statement.pdf`,
    );
    expect(calls.find((c) => c.path === '/api/v1/payouts')?.init).toEqual({
      params: { query: { limit: 25, after: '01a22922-32f2-743f-93a0-3379c2732ef9' } },
    });
    expect(calls.find((c) => c.path === '/api/v1/payout-settings/affiliates/{affiliateId}')?.init).toEqual({
      params: { path: { affiliateId: '1' } },
    });
    // Runs and the network's settings are the admins'.
    expect(calls.some((c) => c.path === '/api/v1/payout-runs')).toBe(false);
    expect(screen.queryByRole('button', { name: /Plan a payout/ })).toBeNull();
  });

  it('says what happens before the first payout, and shows the PayPal email only for PayPal', async () => {
    const { show } = setup('affiliate', { payouts: [] });
    show();
    expect(await screen.findByText('Nothing paid yet')).toBeInTheDocument();
    expect(screen.getByText(/Choose how you are paid/)).toBeInTheDocument();
    expect(screen.queryByLabelText('PayPal email')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Payout method'), 'paypal');
    expect(screen.getByLabelText('PayPal email')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Payout method'), 'stripe_connect');
    expect(screen.getByText('Stripe payouts are not set up yet.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Set up Stripe payouts' })).toBeInTheDocument();
  });

  it('validates the PayPal email on the server before saving the method', async () => {
    const { calls, post } = setup('affiliate');
    for (const email of ['', 'not-an-email']) {
      const answer = await post({ intent: 'method', method: 'paypal', paypalEmail: email });
      expect(answer).toMatchObject({
        init: { status: 400 },
        data: { ok: false, fieldErrors: { paypalEmail: expect.any(String) } },
      });
    }
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    const saved = await post({ intent: 'method', method: 'paypal', paypalEmail: ' me@example.com ' });
    expect(saved).toMatchObject({ data: { ok: true } });
    await post({ intent: 'method', method: 'bank_transfer', paypalEmail: 'ignored@example.com' });
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([
      {
        method: 'PUT',
        path: '/api/v1/payout-settings/affiliates/{affiliateId}',
        init: {
          params: { path: { affiliateId: '1' } },
          body: { method: 'paypal', paypalEmail: 'me@example.com' },
        },
      },
      {
        method: 'PUT',
        path: '/api/v1/payout-settings/affiliates/{affiliateId}',
        init: { params: { path: { affiliateId: '1' } }, body: { method: 'bank_transfer' } },
      },
    ]);
  });

  it('shows the server error beside the PayPal email field', async () => {
    const { show } = setup('affiliate', { payouts: [] });
    show();
    await userEvent.selectOptions(await screen.findByLabelText('Payout method'), 'paypal');
    await userEvent.type(screen.getByLabelText('PayPal email'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Save method' }));
    const input = await screen.findByLabelText('PayPal email');
    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('sends the browser to the onboarding URL the API gave, not one from the request', async () => {
    const { calls, post } = setup('affiliate');
    const answer = (await thrown(
      post({ intent: 'stripe-onboarding', url: 'https://evil.example' }),
    )) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get('Location')).toBe('https://connect.stripe.com/setup/e/acct_1/abc');
    expect(calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/payout-settings/affiliates/{affiliateId}/stripe-onboarding',
      init: { params: { path: { affiliateId: '1' } } },
    });
  });

  it('cannot plan, pay or resume runs, nor change the network settings', async () => {
    const { calls, post } = setup('affiliate');
    for (const intent of ['plan', 'pay', 'resume', 'network-settings'])
      expect(await thrown(post({ intent, runId: RUN_ID }))).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});

describe('payouts for an advertiser', () => {
  it('is refused', async () => {
    const { calls, context, post } = setup('advertiser');
    expect(
      await thrown(
        loader({ request: new Request('http://localhost/payouts'), params: {}, context } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'method', method: 'bank_transfer' }))).toMatchObject({
      init: { status: 403 },
    });
    expect(calls).toEqual([]);
  });
});

describe('payouts for an admin', () => {
  it('lists the runs, with Resume on an interrupted one, and the network settings', async () => {
    const { calls, show } = setup('admin', {
      runs: [
        run({
          id: '01a22922-0000-7000-8000-000000000001',
          status: 'interrupted',
          lastError: 'PayPal unreachable',
        }),
        run(),
      ],
    });
    show();
    const table = await screen.findByRole('table', { name: 'Payout runs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('interrupted');
    expect(rows[0]).toHaveTextContent('PayPal unreachable');
    expect(within(rows[0] as HTMLElement).getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: 'Resume' })).toBeNull();
    expect(calls.find((c) => c.path === '/api/v1/payout-runs')?.init).toEqual({
      params: { query: { limit: 25 } },
    });
    expect(screen.getByLabelText('Hold (days)')).toHaveValue(30);
    expect(screen.getByLabelText('Default minimum')).toHaveValue('50.00');
    expect(screen.getByLabelText('Day of the month')).toHaveValue('1');
  });

  it('plans a payout as a dry run: who is paid what, totals per currency, who is skipped and why', async () => {
    const { calls, show } = setup('admin');
    show();
    await userEvent.selectOptions(await screen.findByLabelText('Affiliates'), 'monthly');
    await userEvent.click(screen.getByRole('button', { name: 'Plan a payout' }));
    expect(await screen.findByRole('heading', { name: '2 affiliates would be paid' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/payout-runs',
      init: { body: { dryRun: true, schedule: 'monthly' } },
    });
    const totals = screen.getByRole('list', { name: 'Totals per currency' });
    expect(totals).toHaveTextContent('€880.00');
    expect(totals).toHaveTextContent('$3,646.62');
    const skipped = screen.getByRole('table', { name: 'Skipped' });
    expect(skipped).toHaveTextContent('No payout method chosen');
    expect(skipped).toHaveTextContent('Below the minimum');
    await userEvent.click(screen.getByRole('button', { name: 'Pay 2 affiliates' }));
    expect(await screen.findByRole('dialog', { name: 'Pay 2 affiliates?' })).toBeInTheDocument();
  });

  it('pays for real only when asked, then goes to the run', async () => {
    const { calls, post } = setup('admin');
    const answer = (await thrown(post({ intent: 'pay', schedule: '' }))) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get('Location')).toBe(`/payouts/runs/${RUN_ID}`);
    expect(calls).toEqual([
      { method: 'POST', path: '/api/v1/payout-runs', init: { body: { dryRun: false } } },
    ]);
  });

  it('resumes a run by its id', async () => {
    const { calls, post } = setup('admin');
    expect(await post({ intent: 'resume', runId: RUN_ID })).toMatchObject({ data: { ok: true } });
    expect(await post({ intent: 'resume', runId: 'x' })).toMatchObject({
      data: { ok: false },
      init: { status: 400 },
    });
    expect(calls).toEqual([
      { method: 'POST', path: '/api/v1/payout-runs/{id}/resume', init: { params: { path: { id: RUN_ID } } } },
    ]);
  });

  it('validates the network settings on the server and keeps the per-currency minimums', async () => {
    const { calls, post } = setup('admin');
    const bad = await post({
      intent: 'network-settings',
      schedule: 'weekly',
      weeklyDay: '9',
      monthlyDay: '1',
      defaultMinimum: 'abc',
      holdDays: '-1',
    });
    expect(bad).toMatchObject({
      init: { status: 400 },
      data: {
        fieldErrors: {
          weeklyDay: expect.any(String),
          defaultMinimum: expect.any(String),
          holdDays: expect.any(String),
        },
      },
    });
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    const good = await post({
      intent: 'network-settings',
      automatic: 'on',
      schedule: 'weekly',
      weeklyDay: '5',
      monthlyDay: '1',
      defaultMinimum: '25.50',
      holdDays: '0',
    });
    expect(good).toMatchObject({ data: { ok: true } });
    expect(calls.find((c) => c.method === 'PUT')).toEqual({
      method: 'PUT',
      path: '/api/v1/payout-settings/network',
      init: {
        body: {
          automatic: true,
          schedule: 'weekly',
          weeklyDay: 5,
          monthlyDay: 1,
          defaultMinimumMinor: 2_550,
          minimumByCurrency: { JPY: 5_000 },
          holdDays: 0,
        },
      },
    });
  });

  it('does not choose an affiliate method for itself here', async () => {
    const { calls, post } = setup('admin');
    expect(await thrown(post({ intent: 'method', method: 'paypal' }))).toMatchObject({
      init: { status: 403 },
    });
    expect(calls).toEqual([]);
  });
});
