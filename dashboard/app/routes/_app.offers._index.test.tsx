import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider, useLoaderData, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import Offers, { loader } from './_app.offers._index';
import { action as offerAction } from './_app.offers.$id';

type AffiliateOffer = Schemas['AffiliateOffer'];

// A failed query prints its message only: printing this page's whole DOM takes minutes in jsdom.
configure({ getElementError: (message) => new Error(message ?? 'not found') });

function offer(id: number, name: string, extra: Partial<AffiliateOffer>): AffiliateOffer {
  return {
    id,
    name,
    description: null,
    payoutType: 'cpa',
    payoutMinor: 1500,
    payoutBps: 0,
    currency: 'USD',
    status: 'active',
    visibility: 'public',
    previewUrl: null,
    events: ['conversion'],
    attributionWindowHours: 720,
    targeting: { countries: [], devices: [], operatingSystems: [] },
    deepLinksAllowed: false,
    deepLinkHosts: [],
    access: 'open',
    trackingLink: `https://t.example/c/${id}?aff_id=1`,
    ...extra,
  };
}

const NO_CAPS = { dailyClicks: null, monthlyClicks: null, dailyConversions: null, monthlyConversions: null };
const USED = { clicks: { daily: 0, monthly: 0 }, conversions: { daily: 0, monthly: 0 } };

/** The API as an affiliate sees it; applying turns an offer's access to pending. */
function marketplace(initial: string) {
  const offers = [
    offer(1, 'Acme first order', { payoutMinor: 1500 }),
    offer(2, 'Acme revenue share', { payoutType: 'revshare', payoutMinor: 0, payoutBps: 1000 }),
    offer(3, 'Globex hotels', {
      payoutMinor: 2200,
      currency: 'EUR',
      visibility: 'approval_required',
      access: 'not_applied',
      trackingLink: null,
      targeting: { countries: ['US', 'GB'], devices: ['mobile'], operatingSystems: [] },
    }),
    offer(4, 'Initech leads', {
      payoutType: 'cpl',
      payoutMinor: 180,
      access: 'pending',
      visibility: 'approval_required',
    }),
  ];
  const applied: number[] = [];
  const api = {
    GET: async (path: string, init: { params: { path?: { id: string } } }) => {
      if (path === '/api/v1/offers')
        return { data: { data: offers, nextAfter: null }, response: new Response() };
      const id = Number(init.params.path?.id);
      return {
        data: {
          offerId: id,
          day: '2026-11-29',
          month: '2026-11',
          offer: {
            limits: { ...NO_CAPS, dailyClicks: id === 1 ? 1000 : null },
            used: { ...USED, clicks: { daily: 850, monthly: 900 } },
          },
          affiliates: [],
        },
        response: new Response(),
      };
    },
    POST: async (_path: string, init: { params: { path: { id: string } } }) => {
      const target = offers.find((item) => item.id === Number(init.params.path.id));
      if (target) target.access = 'pending';
      applied.push(Number(init.params.path.id));
      return { data: { status: 'pending' }, response: new Response(null, { status: 201 }) };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000003',
    email: 'affiliate@example.test',
    role: 'affiliate',
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: null,
    affiliateId: 1,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const Stub = createRoutesStub(
    [
      {
        path: '/offers',
        Component: OffersWithLocation,
        loader: loader as never,
      },
      { path: '/offers/:id', action: offerAction as never },
    ],
    context,
  );
  render(<Stub initialEntries={[initial]} />);
  return { applied, context };
}

/** The page as the app renders it (loader data as a prop), and the URL it is at. */
function OffersWithLocation() {
  const loaderData = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <>
      <output data-testid="search">{location.search}</output>
      <Offers {...({ loaderData } as unknown as Parameters<typeof Offers>[0])} />
    </>
  );
}

// The first render loads the route modules: give it time.
function findTable() {
  return screen.findByRole('table', { name: 'Offers you may run' }, { timeout: 8000 });
}

function rows() {
  const table = screen.getByRole('table', { name: 'Offers you may run' });
  return within(table)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('offer marketplace', () => {
  it('lists what an affiliate may run: payout in the offer’s unit, targeting, caps used and access', async () => {
    marketplace('/offers');
    expect(await findTable()).toBeInTheDocument();
    expect(rows()).toEqual(['Acme first order', 'Acme revenue share', 'Globex hotels', 'Initech leads']);
    const table = screen.getByRole('table', { name: 'Offers you may run' });
    expect(within(table).getByText('$15.00')).toBeInTheDocument();
    expect(within(table).getByText('10%')).toBeInTheDocument();
    expect(within(table).getByText('€22.00')).toBeInTheDocument();
    expect(within(table).getByText('US, GB · Mobile')).toBeInTheDocument();
    expect(await within(table).findByText('850/1,000')).toBeInTheDocument();
    expect(within(table).getByText('Pending')).toBeInTheDocument();
  });

  it('filters by payout type and access from the URL, so a filtered view can be shared', async () => {
    marketplace('/offers?payoutType=revshare');
    await findTable();
    expect(rows()).toEqual(['Acme revenue share']);
  });

  it('says when nothing matches and clears the filters', async () => {
    marketplace('/offers?access=rejected');
    expect(
      await screen.findByText('No offer matches these filters', {}, { timeout: 8000 }),
    ).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getAllByRole('button', { name: 'Clear' })[0] as HTMLElement);
    await findTable();
    expect(rows()).toHaveLength(4);
  });

  it('searches as one types and keeps the search in the URL', async () => {
    marketplace('/offers');
    await findTable();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Search offers'), 'globex');
    await waitFor(() => expect(rows()).toEqual(['Globex hotels']));
    expect(screen.getByTestId('search')).toHaveTextContent('?q=globex');
  });

  it('offers "Apply" on approval-required offers, and applying sends the application', async () => {
    const { applied, context } = marketplace('/offers?access=not_applied');
    await findTable();
    expect(rows()).toEqual(['Globex hotels']);
    const table = screen.getByRole('table', { name: 'Offers you may run' });
    expect(within(table).getByRole('button', { name: 'Apply to run Globex hotels' })).toBeInTheDocument();
    // The button posts intent=apply to the offer's page; its action asks the API.
    const body = new FormData();
    body.set('intent', 'apply');
    const result = await offerAction({
      request: new Request('http://localhost/offers/3', { method: 'POST', body }),
      params: { id: '3' },
      context,
    } as never);
    expect(applied).toEqual([3]);
    expect(result).toMatchObject({
      data: { ok: true, message: 'Application sent: the advertiser will review it.' },
    });
  });
});
