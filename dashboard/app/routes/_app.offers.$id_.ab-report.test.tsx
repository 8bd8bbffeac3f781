import { configure, render, screen, within } from '@testing-library/react';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import AbReportPage, { action, loader } from './_app.offers.$id_.ab-report';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const OFFER = { id: 12, advertiserId: 4, name: 'Acme first order', currency: 'USD' } as Schemas['Offer'];

const arm = (
  overrides: Partial<Schemas['AbReport']['groups'][number]['arms'][number]> & { id: number; name: string },
) => ({
  clicks: 600,
  conversions: 12,
  cr: 0.02,
  crLow: 0.0115,
  crHigh: 0.0346,
  revenuePerClickMinor: 30,
  probabilityBest: 0.02,
  manualWeight: 1,
  learnedWeight: null,
  weightInForce: 1,
  shareInForce: 0.5,
  learnedShare: null,
  ...overrides,
});

const REPORT: Schemas['AbReport'] = {
  offerId: 12,
  currency: 'USD',
  from: '2026-11-07',
  to: '2026-11-20',
  mode: 'bandit',
  minClicks: 500,
  groups: [
    {
      kind: 'landing_page',
      group: '',
      clicks: 1200,
      arms: [
        arm({ id: 1, name: 'Page A', epcMinor: 20, learnedWeight: 500, learnedShare: 0.05 }),
        arm({
          id: 2,
          name: 'Page B',
          conversions: 30,
          cr: 0.05,
          crLow: 0.0352,
          crHigh: 0.0705,
          revenuePerClickMinor: 75,
          epcMinor: 50,
          probabilityBest: 0.98,
          learnedWeight: 9500,
          learnedShare: 0.95,
        }),
      ],
      recommendation: {
        verdict: 'winner',
        bestArmId: 2,
        message: '"Page B" beats "Page A" with 98% probability; the bandit is shifting traffic to "Page B".',
      },
    },
    {
      kind: 'creative',
      group: '300x250',
      clicks: 120,
      arms: [arm({ id: 7, name: 'square-1', clicks: 60 }), arm({ id: 8, name: 'square-2', clicks: 60 })],
      recommendation: {
        verdict: 'not_enough_data',
        bestArmId: null,
        message: 'Not enough data yet: 120 clicks, need 500.',
      },
    },
  ],
};

const SETTINGS: Schemas['RotationSettings'] = {
  offerId: 12,
  mode: 'bandit',
  explorationBps: 1000,
  decayWindowDays: 14,
  minClicks: 500,
  intervalMinutes: 60,
  computedAt: '2026-11-20T12:00:00.000Z',
  updatedAt: '2026-11-19T08:00:00.000Z',
};

const LOG: Schemas['RotationLogEntry'][] = [
  {
    id: 31,
    runId: '5c0c2a84-47a4-4d1a-9a53-0d8f8b7c6a11',
    changedAt: '2026-11-20T12:00:00.000Z',
    armKind: 'landing_page',
    armId: 2,
    armName: 'Page B',
    group: '',
    oldWeight: 1,
    newWeight: 9500,
    oldShareBps: 2500,
    newShareBps: 9500,
    clicks: 600,
    conversions: 30,
    probabilityBest: 0.9981,
    windowStart: '2026-11-06T12:00:00.000Z',
    windowEnd: '2026-11-20T12:00:00.000Z',
  },
];

type Call = { method: string; path: string; init: unknown };

function setup(
  role: Viewer['role'],
  put: { status: number; body: unknown } = { status: 200, body: SETTINGS },
) {
  const calls: Call[] = [];
  const ok = (body: unknown) => ({ data: body, response: new Response() });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/offers/{id}') return ok(OFFER);
      if (path === '/api/v1/offers/{id}/ab-report') return ok(REPORT);
      if (path === '/api/v1/offers/{id}/rotation') return ok(SETTINGS);
      if (path === '/api/v1/offers/{id}/rotation/log') return ok({ data: LOG, nextBefore: null });
      return { response: new Response(null, { status: 404 }) };
    },
    PUT: async (path: string, init?: unknown) => {
      calls.push({ method: 'PUT', path, init });
      return put.status === 200
        ? ok(put.body)
        : { error: put.body, response: new Response(null, { status: put.status }) };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000003',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 4 : null,
    affiliateId: role === 'affiliate' ? 9 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const submit = (fields: Record<string, string>) => {
    const body = new FormData();
    body.set('intent', 'rotation');
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return action({
      request: new Request('http://localhost/offers/12/ab-report', { method: 'POST', body }),
      params: { id: '12' },
      context,
    } as never);
  };
  const renderPage = (url = '/offers/12/ab-report') => {
    const Stub = createRoutesStub(
      [
        {
          path: '/offers/:id/ab-report',
          Component: AbReportPage as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[url]} />);
  };
  return { calls, submit, renderPage };
}

const FORM = {
  mode: 'bandit',
  explorationPercent: '12.5',
  decayWindowDays: '7',
  minClicks: '1000',
  intervalMinutes: '30',
};

describe('the A/B report of an offer', () => {
  it('shows each group as a table with P(best) bars and its recommendation, the settings and the weight log', async () => {
    const { renderPage, calls } = setup('advertiser');
    renderPage('/offers/12/ab-report?from=2026-11-01&to=2026-11-20&x=1');
    const pages = await screen.findByRole('table', { name: 'Landing pages' });
    const rows = within(pages).getAllByRole('row').slice(1);
    // Sorted by P(best): the winner first.
    expect(within(rows[0]!).getByText('Page B')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('5.00% (3.52%–7.05%)');
    expect(rows[0]).toHaveTextContent('$0.75');
    expect(
      within(rows[0]!).getByRole('progressbar', { name: 'Probability that Page B is best' }),
    ).toHaveAttribute('aria-valuenow', '98');
    // Advertisers see what they pay per click, not what affiliates earn.
    expect(within(pages).getByRole('columnheader', { name: /Cost \/ click/ })).toBeInTheDocument();
    expect(within(pages).queryByRole('columnheader', { name: /EPC/ })).toBeNull();
    const advice = screen.getAllByRole('status').map((s) => s.textContent);
    expect(advice).toContain(
      '"Page B" beats "Page A" with 98% probability; the bandit is shifting traffic to "Page B".',
    );
    expect(advice).toContain('Not enough data yet: 120 clicks, need 500.');
    expect(screen.getByRole('table', { name: 'Creatives 300x250' })).toBeInTheDocument();

    expect(screen.getByLabelText('Mode')).toHaveValue('bandit');
    expect(screen.getByLabelText('Exploration (%)')).toHaveValue('10');
    expect(screen.getByLabelText('Minimum clicks')).toHaveValue('500');
    const log = screen.getByRole('table', { name: 'Weight changes' });
    expect(within(log).getAllByRole('row')[1]).toHaveTextContent('25% → 95%');

    expect(calls.find((c) => c.path === '/api/v1/offers/{id}/ab-report')?.init).toEqual({
      params: { path: { id: '12' }, query: { from: '2026-11-01', to: '2026-11-20' } },
    });
  });

  it('shows admins the EPC', async () => {
    const { renderPage } = setup('admin');
    renderPage();
    const pages = await screen.findByRole('table', { name: 'Landing pages' });
    expect(within(pages).getByRole('columnheader', { name: /EPC/ })).toBeInTheDocument();
    expect(within(pages).getAllByRole('row')[1]).toHaveTextContent('$0.50');
  });

  it('saves the rotation, the exploration typed as a percentage and sent in basis points', async () => {
    const { submit, calls } = setup('advertiser');
    expect(await submit(FORM)).toMatchObject({ data: { intent: 'rotation', ok: true } });
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([
      {
        method: 'PUT',
        path: '/api/v1/offers/{id}/rotation',
        init: {
          params: { path: { id: '12' } },
          body: {
            mode: 'bandit',
            explorationBps: 1250,
            decayWindowDays: 7,
            minClicks: 1000,
            intervalMinutes: 30,
          },
        },
      },
    ]);
  });

  it('says what is wrong beside each field and sends nothing', async () => {
    const { submit, calls } = setup('advertiser');
    const answer = await submit({
      mode: 'greedy',
      explorationPercent: '150',
      decayWindowDays: '0',
      minClicks: '-1',
      intervalMinutes: '2',
    });
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: {
        ok: false,
        fieldErrors: {
          mode: 'Choose manual weights or the bandit.',
          explorationPercent: 'Enter 0 to 100 (%), e.g. 10.',
          decayWindowDays: 'Enter 1 to 90 days.',
          minClicks: 'Enter a whole number of clicks, up to 10,000,000.',
          intervalMinutes: 'Enter 5 to 10,080 minutes (a week).',
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
    expect(await submit(FORM)).toMatchObject({
      init: { status: 502 },
      data: { ok: false, formError: 'The edge could not be reached.' },
    });
  });

  it('refuses affiliates before asking the API anything', async () => {
    const { submit, calls } = setup('affiliate');
    await expect(submit(FORM)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(
      loader({
        request: new Request('http://localhost/offers/12/ab-report'),
        params: { id: '12' },
        context: new RouterContextProvider(
          new Map([[authContext, { api: {} as ApiClient, viewer: { role: 'affiliate' } as Viewer }]]),
        ),
      } as never),
    ).rejects.toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});
