import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, fakeApi, type Routes, thrown } from '~/components/ad-platforms/fake-api.test-helpers';
import type { Schemas } from '~/lib/api.server';
import type { Viewer } from '~/lib/auth.server';
import PrivacyRequests, { action, loader } from './_app.privacy';

function HydrateFallback() {
  return null;
}

const ADMIN_ID = '00000000-0000-4000-8000-00000000000a';
const REQUEST_ID = '0f4f7f9e-1111-4000-8000-000000000001';

const LOG: Schemas['DataSubjectRequestLogEntry'][] = [
  {
    id: REQUEST_ID,
    kind: 'erase',
    subjectType: 'email',
    subjectDigest: 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
    requestedBy: ADMIN_ID,
    note: 'Ticket 4411',
    counts: { clicks: 3, conversions: 1, postbackAttempts: 0, quarantinedEvents: 0, accounts: 0 },
    createdAt: '2026-11-29T10:00:00.000Z',
  },
  {
    id: '0f4f7f9e-1111-4000-8000-000000000002',
    kind: 'export',
    subjectType: 'click_id',
    subjectDigest: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
    requestedBy: '00000000-0000-4000-8000-0000000000ff',
    note: null,
    counts: { clicks: 0, conversions: 0 },
    createdAt: '2026-11-28T09:00:00.000Z',
  },
];

const EXPORT: Schemas['DataSubjectExport'] = {
  subject: { type: 'email' },
  generatedAt: '2026-11-30T08:00:00.000Z',
  truncated: false,
  clicks: [{ id: 'c1' }, { id: 'c2' }],
  conversions: [{ id: 'v1' }],
  postbackAttempts: [],
  adPlatformDeliveries: [],
  quarantinedEvents: [],
  account: null,
  request: { id: REQUEST_ID },
};

function setup(role: Viewer['role'], routes: Routes = {}) {
  return fakeApi(role, {
    'GET /api/v1/privacy/requests': { data: { data: LOG } },
    'GET /api/v1/users': { data: { data: [{ id: ADMIN_ID, email: 'admin@example.test' }] } },
    'POST /api/v1/privacy/exports': { data: EXPORT },
    'POST /api/v1/privacy/erasures': {
      data: {
        clicks: 2,
        conversions: 1,
        postbackAttempts: 4,
        quarantinedEvents: 0,
        accounts: 1,
        request: { id: REQUEST_ID },
      },
    },
    ...routes,
  });
}

const post = (fields: Record<string, string>) =>
  new Request('http://localhost/privacy', { method: 'POST', body: new URLSearchParams(fields) });

const bodyOf = (init: unknown) => (init as { body: unknown }).body;

describe('/privacy', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is refused to affiliates and advertisers, page and actions alike, and asks the API nothing', async () => {
    for (const role of ['affiliate', 'advertiser'] as const) {
      const { calls, context } = setup(role);
      expect(
        await thrown(
          loader({ request: new Request('http://localhost/privacy'), params: {}, context } as never),
        ),
      ).toMatchObject({
        init: { status: 403 },
      });
      const erase = post({ intent: 'erase', type: 'email', value: 'a@example.test', confirm: 'on' });
      expect(await thrown(action({ request: erase, params: {}, context } as never))).toMatchObject({
        init: { status: 403 },
      });
      expect(calls).toEqual([]);
    }
  });

  it('erases only with the box ticked, sends the subject and note, and says what was erased', async () => {
    const { calls, context } = setup('admin');
    const unticked = await action({
      request: post({ intent: 'erase', type: 'email', value: 'buyer@example.test' }),
      params: {},
      context,
    } as never);
    expect(unticked).toMatchObject({ init: { status: 400 } });
    expect(JSON.stringify(unticked)).toContain("an erasure can't be undone");
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    const done = await action({
      request: post({
        intent: 'erase',
        type: 'email',
        value: ' buyer@example.test ',
        note: 'Ticket 9',
        confirm: 'on',
      }),
      params: {},
      context,
    } as never);
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/privacy/erasures' });
    expect(bodyOf(calls.at(-1)?.init)).toEqual({
      subject: { type: 'email', value: 'buyer@example.test' },
      note: 'Ticket 9',
    });
    expect(done).toMatchObject({
      data: { intent: 'erase', erased: '2 clicks · 1 conversion · 4 postback attempts · 1 account' },
    });
  });

  it("exports without the box, as a file named for the request, and shows the API's refusal", async () => {
    const { calls, context } = setup('admin');
    const done = (await action({
      request: post({ intent: 'export', type: 'email', value: 'buyer@example.test' }),
      params: {},
      context,
    } as never)) as { data: { export: { filename: string; json: string; found: string } } };
    expect(bodyOf(calls.at(-1)?.init)).toEqual({
      subject: { type: 'email', value: 'buyer@example.test' },
      note: null,
    });
    expect(done.data.export.filename).toBe('tas-data-subject-export-email-2026-11-30-0f4f7f9e.json');
    expect(JSON.parse(done.data.export.json)).toEqual(EXPORT);
    expect(done.data.export.found).toBe('2 clicks · 1 conversion');

    const refusing = setup('admin', {
      'POST /api/v1/privacy/exports': apiError('subject.value: Invalid email address'),
    });
    const refused = await action({
      request: post({ intent: 'export', type: 'email', value: 'not-an-email' }),
      params: {},
      context: refusing.context,
    } as never);
    expect(refused).toMatchObject({ init: { status: 400 } });
    expect(JSON.stringify(refused)).toContain('subject.value: Invalid email address');
  });

  it('lists each request by digest with who ran it, and downloads an export in the browser', async () => {
    const saved: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:export';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { context } = setup('admin');
    const Stub = createRoutesStub(
      [
        {
          path: '/privacy',
          Component: PrivacyRequests as never,
          HydrateFallback,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={['/privacy']} />);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Data subject requests' });
    const erasure = within(table).getByText('Erasure').closest('tr') as HTMLElement;
    expect(within(erasure).getByText('a3f1c2d4e5f6…')).toBeInTheDocument();
    expect(within(erasure).getByText('3 clicks · 1 conversion')).toBeInTheDocument();
    expect(within(erasure).getByText('admin@example.test')).toBeInTheDocument();
    const exported = within(table).getByText('Export').closest('tr') as HTMLElement;
    expect(within(exported).getByText('Nothing held')).toBeInTheDocument();
    expect(within(exported).getByText('A deleted user')).toBeInTheDocument();

    // Erase without the tick: refused in the browser, nothing posted.
    await user.type(screen.getByLabelText('Email address'), 'buyer@example.test');
    await user.click(screen.getByRole('button', { name: /Erase/ }));
    expect(await screen.findByText("Tick the box: an erasure can't be undone")).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Find the person by'), 'Click id');
    expect(await screen.findByLabelText('Click id')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Export as JSON/ }));
    expect(await screen.findByText(/Export saved/)).toBeInTheDocument();
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(JSON.parse(await saved[0]!.text())).toEqual(EXPORT);
  });
});
