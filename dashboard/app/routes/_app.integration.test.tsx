import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, signedInContext } from '~/components/campaigns/fake-api';
import type { Offer } from '~/components/integration/snippets';
import { dashboardEnv } from '~/lib/env.server';
import Integration, { action, loader } from './_app.integration';

function offer(overrides: Partial<Offer>): Offer {
  return {
    id: 7,
    advertiserId: 1,
    name: 'Acme CPA',
    description: null,
    payoutType: 'cpa',
    payoutMinor: 1500,
    payoutBps: 0,
    revenueMinor: 2500,
    revenueBps: 0,
    currency: 'EUR',
    status: 'active',
    visibility: 'public',
    destinationUrl: 'https://shop.example/landing?ref=tas',
    previewUrl: null,
    fallbackUrl: null,
    defaultEvent: 'sale',
    events: ['sale', 'lead'],
    attributionWindowHours: 720,
    hasPostbackSecret: false,
    postbackIpAllowlist: [],
    conversionSources: null,
    acceptedConversionSources: 'postback_and_pixel',
    targeting: { countries: [], devices: [], operatingSystems: [] },
    deepLinks: { allowed: false, hosts: [] },
    caps: {
      offer: { dailyClicks: null, monthlyClicks: null, dailyConversions: null, monthlyConversions: null },
      perAffiliate: {
        dailyClicks: null,
        monthlyClicks: null,
        dailyConversions: null,
        monthlyConversions: null,
      },
      affiliateOverrides: [],
    },
    fraudRules: {
      duplicateClickWindowSeconds: 0,
      maxClicksPerIpPerMinute: null,
      action: 'flag',
      minSecondsToConvert: null,
      maxSecondsToConvert: null,
      blockedIps: [],
      blockedUserAgents: [],
    },
    privacy: {},
    landingPages: [],
    revision: 1,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

function renderPage(offers: Offer[], path = '/integration') {
  const { api, requests } = fakeApi((request) => {
    if (request.path === '/api/v1/offers') return { body: { data: offers, nextAfter: null } };
    const one = /^\/api\/v1\/offers\/(\d+)$/.exec(request.path);
    if (one) return { body: offers.find((o) => String(o.id) === one[1]) };
    if (request.path === '/api/v1/applications')
      return { body: { data: [{ offerId: 7, affiliateId: 42, status: 'approved' }] } };
    return undefined;
  });
  const Stub = createRoutesStub(
    [
      {
        path: '/integration',
        Component: Integration as never,
        loader: loader as never,
        action: action as never,
      },
    ],
    signedInContext(api, 'advertiser'),
  );
  render(<Stub initialEntries={[path]} future={{ v8_middleware: true }} />);
  return { requests, user: userEvent.setup() };
}

/** The text of a copyable value, found by its (screen reader) caption. */
function copyValue(label: string): string {
  const figure = screen.getByText(label, { selector: 'figcaption' }).closest('figure');
  return figure?.querySelector('code')?.textContent ?? '';
}

afterEach(() => vi.restoreAllMocks());

describe('integration page', () => {
  const edge = dashboardEnv().edgeUrl;

  it('builds the postback, pixels and script from the offer, and says where the click id must go', async () => {
    renderPage([offer({})]);
    expect(await screen.findByRole('heading', { name: 'Integration' })).toBeInTheDocument();
    expect(copyValue('Postback URL')).toBe(
      `${edge}/postback?click_id={click_id}&amount={amount}&txid={order_id}`,
    );
    expect(copyValue('Status update (approve later, or charge back)')).toBe(
      `${edge}/postback?click_id={click_id}&txid={order_id}&status=approved`,
    );
    expect(copyValue('Image pixel')).toBe(
      `<img src="${edge}/p/7.gif?event=sale&amp;amount={amount}&amp;txid={order_id}" width="1" height="1" alt="" style="display:none">`,
    );
    expect(copyValue('On every landing page')).toBe(`<script src="${edge}/t.js" async></script>`);
    expect(copyValue('On the order confirmation page')).toContain(
      "TAS.conversion(7, { event: 'sale', amount: '{amount}', txid: '{order_id}' });",
    );
    // The destination has no {click_id}: the page says so and proposes the fix.
    expect(screen.getByText('The destination does not pass the click id.')).toBeInTheDocument();
    expect(copyValue('suggested destination URL')).toBe(
      'https://shop.example/landing?ref=tas&click_id={click_id}',
    );
    expect(screen.getByText('Postbacks and pixels')).toBeInTheDocument();
    expect(screen.queryByText(/requires its postback secret/)).not.toBeInTheDocument();
  });

  it('never shows a secret: it says where the secret goes and where it is set, and that pixels are refused', async () => {
    renderPage([
      offer({
        hasPostbackSecret: true,
        acceptedConversionSources: 'postback',
        destinationUrl: 'https://shop.example/?tid={transaction_id}',
      }),
    ]);
    expect(await screen.findByText('This offer requires its postback secret')).toBeInTheDocument();
    expect(copyValue('Postback URL')).toBe(
      `${edge}/postback?click_id={click_id}&amount={amount}&txid={order_id}&secret=YOUR_POSTBACK_SECRET`,
    );
    expect(screen.getAllByRole('link', { name: 'offer’s settings' })[0]).toHaveAttribute('href', '/offers/7');
    expect(screen.getByText('Pixels are refused on this offer.')).toBeInTheDocument();
    expect(screen.getByText(/a pixel cannot keep a secret/)).toBeInTheDocument();
    expect(screen.getByText('Destination carries the click id')).toBeInTheDocument();
    // The test asks for the secret, to send it to the edge only.
    expect(screen.getByLabelText('Postback secret')).toHaveAttribute('type', 'password');
  });

  it('sends a test conversion through the edge, marked as a test, and shows the requests and answers', async () => {
    const edgeCalls: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = String(input);
      edgeCalls.push(url);
      if (url.includes('/r/7?'))
        return Response.json({
          click_id: 'CLICK123',
          counted: false,
          outcome: 'redirect',
          attribution_window_hours: 720,
        });
      return Response.json({ status: 'accepted', conversion_id: 'conv-1' });
    });
    const { user } = renderPage([offer({ hasPostbackSecret: true })]);
    expect(await screen.findByLabelText('Affiliate id')).toHaveValue('42');
    await user.type(screen.getByLabelText('Postback secret'), 's3cret-value');
    await user.click(screen.getByRole('button', { name: 'Send a test conversion' }));
    expect(await screen.findByText('Test conversion recorded')).toBeInTheDocument();

    expect(edgeCalls[0]).toBe(`${edge}/r/7?aff_id=42&sub1=tas-test`);
    const postback = new URL(edgeCalls[1] ?? '');
    expect(postback.pathname).toBe('/postback');
    expect(Object.fromEntries(postback.searchParams)).toMatchObject({
      click_id: 'CLICK123',
      event: 'sale',
      amount: '10.00',
      status: 'rejected',
      secret: 's3cret-value',
    });
    expect(postback.searchParams.get('txid')).toMatch(/^TEST-\d{8}-\d{6}-[0-9a-f]{4}$/);
    // The secret went to the edge, but the page shows it masked.
    expect(screen.queryByText(/s3cret-value/)).not.toBeInTheDocument();
    expect(copyValue('request 2')).toContain('secret=••••••');
    expect(copyValue('answer 2')).toContain('"conversion_id": "conv-1"');
  });
});
