import { configure, render, screen, within } from '@testing-library/react';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import Applications, { action, loader } from './_app.applications';

// A failed query prints its message only (the whole DOM is slow to print in jsdom).
configure({ getElementError: (message) => new Error(message ?? 'not found') });

type Application = Schemas['Application'];

function application(
  offerId: number,
  affiliateId: number,
  status: Application['status'],
  at: string,
): Application {
  return { offerId, affiliateId, status, createdAt: at, updatedAt: at };
}

/** The API as an advertiser sees it: applications to its offers; decisions are recorded. */
function page(initial: string, role: Viewer['role'] = 'advertiser') {
  const applications = [
    application(5, 1, 'pending', '2026-11-29T10:00:00.000Z'),
    application(5, 2, 'pending', '2026-11-28T10:00:00.000Z'),
    application(6, 1, 'approved', '2026-11-20T10:00:00.000Z'),
  ];
  const decisions: unknown[] = [];
  const read = async (path: string) => {
    if (path === '/api/v1/applications') return { data: { data: applications }, response: new Response() };
    if (path === '/api/v1/offers')
      return {
        data: {
          data: [
            { id: 5, advertiserId: 1, name: 'Premium revshare' },
            { id: 6, advertiserId: 1, name: 'Private deal' },
          ],
          nextAfter: null,
        },
        response: new Response(),
      };
    return { data: { data: [], nextAfter: null }, response: new Response() };
  };
  const decide = async (_path: string, init: { params: { path: unknown }; body: unknown }) => {
    decisions.push({ ...(init.params.path as object), ...(init.body as object) });
    return { data: { status: 'approved' }, response: new Response() };
  };
  const api = { GET: read, PUT: decide } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: 'advertiser@example.test',
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
    [
      {
        path: '/applications',
        Component: Applications as never,
        loader: loader as never,
        action: action as never,
        ErrorBoundary: ErrorText,
      },
    ],
    context,
  );
  render(<Stub initialEntries={[initial]} />);
  return { decisions, context };
}

function ErrorText() {
  return <p>Refused</p>;
}

describe('applications', () => {
  it('shows pending applications first, oldest first, with counts per status', async () => {
    page('/applications');
    const table = await screen.findByRole('table', { name: 'Applications' }, { timeout: 8000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell')[0]?.textContent)).toEqual([
      'Affiliate #2',
      'Affiliate #1',
    ]);
    expect(within(table).getAllByText('Premium revshare')).toHaveLength(2);
    const tabs = screen.getByRole('navigation', { name: 'Application status' });
    expect(within(tabs).getByRole('link', { name: /^Pending\s*2$/ })).toHaveAttribute('aria-current', 'page');
    expect(within(tabs).getByRole('link', { name: /^Approved\s*1$/ })).toBeInTheDocument();
    expect(within(table).getByRole('button', { name: 'Approve Affiliate #2' })).toBeInTheDocument();
  });

  it('filters by status from the URL', async () => {
    page('/applications?status=approved');
    const table = await screen.findByRole('table', { name: 'Applications' }, { timeout: 8000 });
    expect(within(table).getByText('Private deal')).toBeInTheDocument();
    expect(within(table).getByRole('button', { name: 'Revoke Affiliate #1' })).toBeInTheDocument();
  });

  it('sends a decision to the API for the offer and affiliate of the row', async () => {
    const { decisions, context } = page('/applications');
    await screen.findByRole('table', { name: 'Applications' }, { timeout: 8000 });
    const body = new FormData();
    body.set('intent', 'decide');
    body.set('offerId', '5');
    body.set('affiliateId', '2');
    body.set('status', 'approved');
    const result = await action({
      request: new Request('http://localhost/applications', { method: 'POST', body }),
      params: {},
      context,
    } as never);
    expect(decisions).toEqual([{ id: '5', affiliateId: '2', status: 'approved' }]);
    expect(result).toMatchObject({ data: { ok: true, message: 'Affiliate #2 approved on offer #5.' } });
  });

  it('is refused to affiliates', async () => {
    page('/applications', 'affiliate');
    expect(await screen.findByText('Refused', {}, { timeout: 8000 })).toBeInTheDocument();
  });
});
