import { configure, render, screen, within } from '@testing-library/react';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import AdvertiserPage, { action, loader } from './_app.advertisers.$id';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const BILLING: Schemas['AdvertiserBilling'] = {
  advertiserId: 4,
  mode: 'postpaid',
  creditLimitByCurrency: { USD: 500_000 },
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
  stripeCustomerId: null,
  termsSaved: true,
  funds: [
    {
      currency: 'USD',
      balanceMinor: -480_000,
      pendingHoldsMinor: 20_000,
      creditLimitMinor: 500_000,
      lowBalanceMinor: null,
      availableMinor: 0,
      state: 'exhausted',
      stoppedAtEdge: true,
    },
  ],
};

type Call = { method: string; path: string; init: unknown };

function setup(
  role: Viewer['role'] = 'admin',
  put: { status: number; body: unknown } = { status: 200, body: BILLING },
) {
  const calls: Call[] = [];
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/advertisers/{id}')
        return {
          data: {
            id: 4,
            companyName: 'Acme Shop',
            websiteUrl: null,
            contactEmail: 'billing@acme.test',
            contactPhone: null,
            billingAddress: null,
            status: 'active',
            createdAt: '2026-11-01T00:00:00.000Z',
            updatedAt: '2026-11-01T00:00:00.000Z',
          },
          response: new Response(),
        };
      if (path === '/api/v1/advertisers/{advertiserId}/billing')
        return { data: BILLING, response: new Response() };
      if (path === '/api/v1/offers' || path === '/api/v1/campaigns' || path === '/api/v1/users')
        return { data: { data: [], nextAfter: null }, response: new Response() };
      return { response: new Response(null, { status: 404 }) };
    },
    PUT: async (path: string, init?: unknown) => {
      calls.push({ method: 'PUT', path, init });
      return put.status === 200
        ? { data: put.body, response: new Response() }
        : { error: put.body, response: new Response(null, { status: put.status }) };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000001',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 4 : null,
    affiliateId: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const submit = (fields: Record<string, string>) => {
    const body = new FormData();
    body.set('intent', 'billing');
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return action({
      request: new Request('http://localhost/advertisers/4', { method: 'POST', body }),
      params: { id: '4' },
      context,
    } as never);
  };
  return { calls, context, submit };
}

const TERMS = { mode: 'prepaid', invoicePeriod: 'weekly', netTermsDays: '14' };

describe('an advertiser’s billing terms (admins)', () => {
  it('shows the terms in a form beside the funds per currency', async () => {
    const { context, calls } = setup();
    const Stub = createRoutesStub(
      [
        {
          path: '/advertisers/:id',
          Component: AdvertiserPage as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={['/advertisers/4']} />);
    expect(await screen.findByLabelText('Mode')).toHaveValue('postpaid');
    expect(screen.getByLabelText('Credit limit (USD)')).toHaveValue('5000.00');
    expect(screen.getByLabelText('Low-balance alert (USD)')).toHaveValue('');
    expect(screen.getByLabelText('Net terms (days)')).toHaveValue('30');
    const funds = screen.getByRole('list', { name: 'Funds per currency' });
    expect(within(funds).getByText('offers stopped')).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/v1/advertisers/{advertiserId}/billing')?.init).toEqual({
      params: { path: { advertiserId: '4' } },
    });
  });

  it('sends the terms with amounts in minor units of their currency; empty means none', async () => {
    const { submit, calls } = setup();
    const answer = await submit({
      ...TERMS,
      'creditLimit.USD': '',
      'lowBalance.USD': '1,250.50',
      'extra.currency': 'jpy',
      'extra.lowBalance': '20000',
    });
    expect(answer).toMatchObject({ data: { intent: 'billing', ok: true } });
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([
      {
        method: 'PUT',
        path: '/api/v1/advertisers/{advertiserId}/billing',
        init: {
          params: { path: { advertiserId: '4' } },
          body: {
            mode: 'prepaid',
            creditLimitByCurrency: {},
            lowBalanceByCurrency: { USD: 125_050, JPY: 20_000 },
            invoicePeriod: 'weekly',
            netTermsDays: 14,
          },
        },
      },
    ]);
  });

  it('says what is wrong beside each field, and sends nothing', async () => {
    const { submit, calls } = setup();
    const answer = await submit({
      mode: 'credit',
      invoicePeriod: 'daily',
      netTermsDays: '121',
      'creditLimit.USD': '-5',
      'lowBalance.USD': '1.234',
      'extra.currency': 'dollars',
    });
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: {
        ok: false,
        fieldErrors: {
          mode: 'Choose prepaid or postpaid.',
          invoicePeriod: 'Choose weekly or monthly.',
          netTermsDays: 'Enter 0 to 120 days.',
          'creditLimit.USD': 'The amount cannot be negative',
          'lowBalance.USD': 'USD has at most 2 decimals',
          'extra.currency': 'A three-letter currency code, e.g. CAD.',
        },
      },
    });
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('keeps the API’s refusal for the form, with its status', async () => {
    const { submit } = setup('admin', {
      status: 502,
      body: {
        error: { code: 'edge_unavailable', message: 'The edge could not be reached.', requestId: 'r' },
      },
    });
    const answer = await submit({ ...TERMS });
    expect(answer).toMatchObject({
      init: { status: 502 },
      data: { ok: false, formError: 'The edge could not be reached.' },
    });
  });

  it('refuses advertisers', async () => {
    const { submit, calls } = setup('advertiser');
    await expect(submit({ ...TERMS })).rejects.toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});
