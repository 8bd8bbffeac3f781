import { configure, render, screen, within } from '@testing-library/react';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import PayoutRunPage, { action, loader } from './_app.payouts_.runs.$id';
import { loader as csvLoader } from './_app.payouts_.runs.$id_.bank-transfers[.]csv';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const RUN_ID = '01a22922-32f2-7d0d-a13c-02b53c843e66';
const SENT_ID = '01a22922-32f2-743f-93a0-3379c2732ef9';

const payout = (overrides: Partial<Schemas['Payout']>): Schemas['Payout'] => ({
  id: '01a22922-32f2-7580-ab27-210b77babffe',
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

type Call = { method: string; path: string; init: unknown };

function setup(
  role: Viewer['role'],
  csv: Response = new Response('payout_id\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } }),
) {
  const calls: Call[] = [];
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/payout-runs/{id}')
        return {
          data: {
            id: RUN_ID,
            startedBy: null,
            periodKey: '2026-11',
            schedule: 'monthly',
            cutoff: '2026-11-29T21:07:00.000Z',
            status: 'interrupted',
            paypalBatchId: null,
            lastError: 'PayPal could not be reached',
            createdAt: '2026-11-29T21:07:00.000Z',
            completedAt: null,
          },
          response: new Response(),
        };
      if (path === '/api/v1/payouts')
        return {
          data: {
            data: [
              payout({}),
              payout({ id: SENT_ID, currency: 'USD', amountMinor: 354_662, status: 'sent', settledAt: null }),
              payout({
                id: '01a22922-32f2-7000-8000-000000000003',
                affiliateId: 2,
                method: 'paypal',
                status: 'sent',
                settledAt: null,
              }),
            ],
            nextAfter: null,
          },
          response: new Response(),
        };
      if (path === '/api/v1/payout-runs/{id}/bank-transfers.csv') return { response: csv };
      return { response: new Response(null, { status: 404 }) };
    },
    POST: async (path: string, init?: unknown) => {
      calls.push({ method: 'POST', path, init });
      if (path === '/api/v1/payouts/{id}/mark-paid')
        return { data: payout({ id: SENT_ID, status: 'paid' }), response: new Response() };
      return { response: new Response(null, { status: 404 }) };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: null,
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const post = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return action({
      request: new Request(`http://localhost/payouts/runs/${RUN_ID}`, { method: 'POST', body }),
      params: { id: RUN_ID },
      context,
    } as never);
  };
  return { calls, context, post };
}

const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a payout run', () => {
  it("shows the run's payouts, the bank transfers CSV and Mark paid for sent bank transfers only", async () => {
    const { calls, context } = setup('admin');
    const Stub = createRoutesStub(
      [
        {
          path: '/payouts/runs/:id',
          Component: PayoutRunPage as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[`/payouts/runs/${RUN_ID}`]} />);
    const table = await screen.findByRole('table', { name: 'Payouts of the run' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).queryAllByRole('button', { name: /Mark paid/ }).length)).toEqual([
      0, 1, 0,
    ]);
    expect(screen.getByRole('link', { name: /Bank transfers CSV/ })).toHaveAttribute(
      'href',
      `/payouts/runs/${RUN_ID}/bank-transfers.csv`,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('PayPal could not be reached');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/v1/payouts')?.init).toEqual({
      params: { query: { runId: RUN_ID, limit: 100 } },
    });
  });

  it('marks a bank transfer paid through the API', async () => {
    const { calls, post } = setup('admin');
    expect(await post({ intent: 'mark-paid', payoutId: SENT_ID })).toMatchObject({ data: { ok: true } });
    expect(await post({ intent: 'mark-paid', payoutId: '../x' })).toMatchObject({
      data: { ok: false },
      init: { status: 400 },
    });
    expect(calls).toEqual([
      { method: 'POST', path: '/api/v1/payouts/{id}/mark-paid', init: { params: { path: { id: SENT_ID } } } },
    ]);
  });

  it('is refused to affiliates', async () => {
    const { calls, context, post } = setup('affiliate');
    expect(
      await thrown(
        loader({
          request: new Request(`http://localhost/payouts/runs/${RUN_ID}`),
          params: { id: RUN_ID },
          context,
        } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'mark-paid', payoutId: SENT_ID }))).toMatchObject({
      init: { status: 403 },
    });
    expect(
      await thrown(
        csvLoader({
          request: new Request(`http://localhost/payouts/runs/${RUN_ID}/bank-transfers.csv`),
          params: { id: RUN_ID },
          context,
        } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});

describe('the bank transfers CSV', () => {
  const get = (context: unknown, id = RUN_ID) =>
    csvLoader({
      request: new Request(`http://localhost/payouts/runs/${id}/bank-transfers.csv`),
      params: { id },
      context,
    } as never) as Promise<Response>;

  it('streams the API body through as a download', async () => {
    const { calls, context } = setup('admin');
    const response = await get(context);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="bank-transfers-${RUN_ID}.csv"`,
    );
    expect(await response.text()).toBe('payout_id\n');
    expect(calls[0]).toMatchObject({
      path: '/api/v1/payout-runs/{id}/bank-transfers.csv',
      init: { params: { path: { id: RUN_ID } }, parseAs: 'stream' },
    });
  });

  it("keeps the API's refusal", async () => {
    const { context } = setup('admin', new Response(null, { status: 404 }));
    const response = await get(context);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-disposition')).toBeNull();
  });
});
