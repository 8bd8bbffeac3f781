import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { fakeApi, type Routes, thrown } from '~/components/ad-platforms/fake-api.test-helpers';
import type { Schemas } from '~/lib/api.server';
import type { Viewer } from '~/lib/auth.server';
import AuditLog, { loader } from './_app.audit';
import { loader as csvLoader } from './_app.audit_.csv';

function HydrateFallback() {
  return null;
}

const ADMIN_ID = '00000000-0000-4000-8000-00000000000a';

const event = (id: string, overrides: Partial<Schemas['AuditEvent']>): Schemas['AuditEvent'] => ({
  id,
  createdAt: '2026-11-29T10:00:00.000Z',
  action: 'login.succeeded',
  actorUserId: ADMIN_ID,
  actorEmail: 'admin@example.test',
  actorIp: '203.0.113.5',
  subjectType: 'user',
  subjectId: ADMIN_ID,
  detail: {},
  ...overrides,
});

const EVENTS = [
  event('12', {
    action: 'api_key.created',
    subjectType: 'api_key',
    subjectId: '6f1c2a8e-0000-4000-8000-000000000001',
    detail: { name: 'Reporting', scopes: ['reports:read', 'offers:read'] },
  }),
  event('11', {
    action: 'login.failed',
    actorUserId: null,
    actorEmail: null,
    actorIp: '198.51.100.9',
    subjectType: null,
    subjectId: null,
    detail: { email: 'who@example.test', reason: 'invalid_credentials' },
  }),
];

function setup(role: Viewer['role'], routes: Routes = {}) {
  return fakeApi(role, {
    'GET /api/v1/audit-events': { data: { data: EVENTS, nextCursor: '11' } },
    'GET /api/v1/users': { data: { data: [{ id: ADMIN_ID, email: 'admin@example.test' }] } },
    ...routes,
  });
}

const queryOf = (init: unknown) => (init as { params: { query: Record<string, unknown> } }).params.query;

describe('/audit', () => {
  it('is refused to affiliates and advertisers, page and export alike, and asks the API nothing', async () => {
    for (const role of ['affiliate', 'advertiser'] as const) {
      const { calls, context } = setup(role);
      for (const [run, url] of [
        [loader, 'http://localhost/audit'],
        [csvLoader, 'http://localhost/audit/csv'],
      ] as const) {
        expect(await thrown(run({ request: new Request(url), params: {}, context } as never))).toMatchObject({
          init: { status: 403 },
        });
      }
      expect(calls).toEqual([]);
    }
  });

  it("passes the URL's filters to the API as whole UTC days, leaving out what it would refuse", async () => {
    const { calls, context } = setup('admin');
    await loader({
      request: new Request(
        `http://localhost/audit?action=login.failed&actor=${ADMIN_ID}&from=2026-11-01&to=2026-11-29&cursor=40`,
      ),
      params: {},
      context,
    } as never);
    expect(queryOf(calls[0]?.init)).toEqual({
      action: 'login.failed',
      actor: ADMIN_ID,
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      limit: 50,
      cursor: '40',
    });
    await loader({
      request: new Request('http://localhost/audit?action=drop.table&actor=1&from=yesterday&cursor=x'),
      params: {},
      context,
    } as never);
    expect(queryOf(calls.at(-2)?.init)).toEqual({ limit: 50 });
  });

  it('lists events with who, where and what, filters them and exports what is shown as CSV', async () => {
    const { context } = setup('admin');
    const Stub = createRoutesStub(
      [{ path: '/audit', Component: AuditLog as never, HydrateFallback, loader: loader as never }],
      context,
    );
    render(<Stub initialEntries={['/audit']} />);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Audit events' });
    const created = within(table).getByText('API key created').closest('tr') as HTMLElement;
    expect(within(created).getByText('admin@example.test')).toBeInTheDocument();
    expect(
      within(created).getByText('name: Reporting · scopes: reports:read, offers:read'),
    ).toBeInTheDocument();
    const failed = within(table).getByText('Login failed').closest('tr') as HTMLElement;
    expect(within(failed).getByText('Anonymous')).toBeInTheDocument();
    expect(within(failed).getByText('198.51.100.9')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Next page' })).toHaveAttribute('href', '/audit?cursor=11');

    await user.selectOptions(screen.getByLabelText('Action'), 'Login failed');
    await waitFor(() =>
      expect(screen.getByRole('link', { name: /Export CSV/ })).toHaveAttribute(
        'href',
        '/audit/csv?action=login.failed',
      ),
    );
  });
});
