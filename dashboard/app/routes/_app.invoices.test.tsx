import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import InvoicesPage, { action, loader } from './_app.invoices';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const INVOICE_ID = '01a22f1d-9e80-71b6-9dff-49f0206115a5';

const invoice = (overrides: Partial<Schemas['Invoice']> = {}): Schemas['Invoice'] => ({
  id: INVOICE_ID,
  advertiserId: 7,
  advertiserName: 'Acme Shop',
  currency: 'USD',
  period: '2026-11',
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
  chargesMinor: 125_000,
  amountMinor: 125_000,
  lines: [{ description: 'Spring sale (offer 3): 50 conversions charged', amountMinor: 125_000, offerId: 3 }],
  status: 'open',
  number: 'TAS-0001',
  hostedInvoiceUrl: 'https://invoice.stripe.com/i/in_1',
  dueAt: '2026-12-31T01:00:00.000Z',
  sentAt: '2026-12-01T01:00:00.000Z',
  paidAt: null,
  closedAt: null,
  failure: null,
  createdAt: '2026-12-01T01:00:00.000Z',
  ...overrides,
});

type Decision = Schemas['InvoiceRunResponse']['decisions'][number];
const decision = (overrides: Partial<Decision> = {}): Decision => ({
  advertiserId: 7,
  advertiserName: 'Acme Shop',
  currency: 'USD',
  period: '2026-11',
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
  chargesMinor: 125_000,
  amountMinor: 125_000,
  lines: [],
  daysUntilDue: 30,
  outcome: 'invoice',
  ...overrides,
});

type Call = { method: string; path: string; init: unknown };

/** The API as the role sees it; every call kept. */
function setup(role: Viewer['role'], { invoices = [invoice()] }: { invoices?: Schemas['Invoice'][] } = {}) {
  const calls: Call[] = [];
  const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/invoices') return ok({ data: invoices, nextAfter: null });
      if (path === '/api/v1/ledger/balances')
        return ok({
          data: [
            {
              accountId: 1,
              kind: 'advertiser',
              ownerId: '7',
              currency: 'USD',
              pendingMinor: 0,
              postedMinor: -125_000,
            },
            {
              accountId: 2,
              kind: 'advertiser',
              ownerId: '7',
              currency: 'EUR',
              pendingMinor: 0,
              postedMinor: 0,
            },
          ],
          nextAfter: null,
        });
      return {
        error: { error: { code: 'not_found', message: 'No such thing.' } },
        response: new Response(null, { status: 404 }),
      };
    },
    POST: async (path: string, init?: { body?: { dryRun?: boolean } }) => {
      calls.push({ method: 'POST', path, init });
      if (path === '/api/v1/invoices/run')
        return ok({
          dryRun: init?.body?.dryRun ?? true,
          decisions: [
            decision(),
            decision({
              advertiserId: 8,
              advertiserName: 'Globex',
              currency: 'EUR',
              amountMinor: 9_900,
              chargesMinor: 9_900,
            }),
            decision({
              advertiserId: 9,
              advertiserName: 'Initech',
              chargesMinor: -2_000,
              amountMinor: 0,
              outcome: 'nothing_due',
            }),
          ],
          issued:
            init?.body?.dryRun === false
              ? [
                  { invoice: invoice(), failure: null },
                  {
                    invoice: invoice({ advertiserId: 8, status: 'draft' }),
                    failure: 'unavailable: Stripe is unavailable right now.',
                  },
                ]
              : [],
        });
      return {
        error: { error: { code: 'not_found', message: 'No such thing.' } },
        response: new Response(null, { status: 404 }),
      };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 7 : null,
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const post = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return action({
      request: new Request('http://localhost/invoices', { method: 'POST', body }),
      params: {},
      context,
    } as never);
  };
  const show = (initial = '/invoices') => {
    const Stub = createRoutesStub(
      [
        {
          path: '/invoices',
          Component: InvoicesPage as never,
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

describe('invoices for an advertiser', () => {
  it("lists its invoices with amount, status, due date, Stripe's page and the period's statement", async () => {
    const { calls, show } = setup('advertiser', {
      invoices: [
        invoice(),
        invoice({
          id: '01a22f1d-9e80-7000-8000-000000000001',
          period: '2026-10',
          status: 'paid',
          paidAt: '2026-11-20T10:00:00.000Z',
          amountMinor: 4_200,
          number: 'TAS-0000',
        }),
      ],
    });
    show(`/invoices?after=${INVOICE_ID}`);
    const table = await screen.findByRole('table', { name: 'Your invoices' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('2026-11');
    expect(rows[0]).toHaveTextContent('$1,250.00');
    expect(rows[0]).toHaveTextContent('due');
    expect(rows[0]).toHaveTextContent('Dec 31, 2026');
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: /Pay/ })).toHaveAttribute(
      'href',
      'https://invoice.stripe.com/i/in_1',
    );
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: /View/ })).toHaveAttribute(
      'href',
      '/invoices/statement?advertiserId=7&period=2026-11&currency=USD&format=html',
    );
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: /PDF/ })).toHaveAttribute(
      'href',
      '/invoices/statement?advertiserId=7&period=2026-11&currency=USD&format=pdf',
    );
    expect(rows[1]).toHaveTextContent('paid');
    expect(rows[1]).toHaveTextContent('Paid Nov 20, 2026');
    // The advertiser is not told whose it is, nor shown the run.
    expect(within(table).queryByText('Acme Shop')).toBeNull();
    expect(screen.queryByRole('button', { name: /Preview invoicing/ })).toBeNull();
    expect(calls.find((c) => c.path === '/api/v1/invoices')?.init).toEqual({
      params: { query: { limit: 25, after: INVOICE_ID } },
    });
    // Any month's statement, in the currencies it has accounts in.
    const currency = screen.getByLabelText('Currency');
    expect(
      within(currency)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['EUR', 'USD']);
    expect(screen.getByLabelText('Month')).toHaveAttribute('name', 'period');
  });

  it('says when there is no invoice yet', async () => {
    const { show } = setup('advertiser', { invoices: [] });
    show();
    expect(await screen.findByText('No invoice yet')).toBeInTheDocument();
  });

  it('cannot preview or run invoicing', async () => {
    const { calls, post } = setup('advertiser');
    for (const intent of ['preview', 'run'])
      expect(await thrown(post({ intent }))).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});

describe('invoices for an affiliate', () => {
  it('is refused', async () => {
    const { calls, context, post } = setup('affiliate');
    expect(
      await thrown(
        loader({ request: new Request('http://localhost/invoices'), params: {}, context } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'run' }))).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });
});

describe('invoices for an admin', () => {
  it("lists every advertiser's invoices with what stopped one at Stripe", async () => {
    const { show } = setup('admin', {
      invoices: [
        invoice(),
        invoice({
          advertiserId: 8,
          advertiserName: 'Globex',
          status: 'draft',
          failure: 'unavailable: Stripe is down',
        }),
      ],
    });
    show();
    const table = await screen.findByRole('table', { name: 'Invoices' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: 'Acme Shop' })).toHaveAttribute(
      'href',
      '/advertisers/7',
    );
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: /TAS-0001/ })).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('being issued');
    expect(rows[1]).toHaveTextContent('Stripe is down');
  });

  it('previews invoicing as a dry run, totals per currency, then asks before sending', async () => {
    const { calls, show } = setup('admin');
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Preview invoicing' }));
    expect(await screen.findByRole('heading', { name: '2 invoices would be sent' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/invoices/run',
      init: { body: { dryRun: true } },
    });
    const totals = screen.getByRole('list', { name: 'Totals per currency' });
    expect(totals).toHaveTextContent('$1,250.00');
    expect(totals).toHaveTextContent('€99.00');
    expect(screen.getByRole('table', { name: 'Would be invoiced' })).toHaveTextContent('net 30');
    expect(screen.getByRole('table', { name: 'Nothing due' })).toHaveTextContent(
      'Reversals outweigh charges',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send 2 invoices' }));
    expect(await screen.findByRole('dialog', { name: 'Send 2 invoices?' })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('runs for real only when asked, then says what was sent and what stopped', async () => {
    const { calls, post } = setup('admin');
    const answer = (await thrown(post({ intent: 'run' }))) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get('Location')).toBe('/invoices');
    expect(answer.headers.get('set-cookie')).toBeTruthy();
    expect(calls).toEqual([
      { method: 'POST', path: '/api/v1/invoices/run', init: { body: { dryRun: false } } },
    ]);
    expect(await thrown(post({ intent: 'other' }))).toMatchObject({ init: { status: 400 } });
  });
});
