import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import NewOffer, { action, loader } from './_app.offers.new';

type Posted = Record<string, unknown>;

function OfferPage() {
  return <p>Offer page</p>;
}

/** The API as an advertiser's session sees it: POST /offers records the body it was sent. */
function stubFor({ refuse }: { refuse?: string } = {}) {
  const posted: Posted[] = [];
  const list = async () => ({ data: { data: [], nextAfter: null }, response: new Response() });
  const create = async (_path: string, { body }: { body: Posted }) => {
    posted.push(body);
    if (refuse)
      return {
        error: { error: { code: 'invalid_request', message: refuse, requestId: 'r1' } },
        response: new Response(null, { status: 400 }),
      };
    return { data: { ...body, id: 9 }, response: new Response(null, { status: 201 }) };
  };
  const api = { GET: list, POST: create } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: 'advertiser@example.test',
    role: 'advertiser',
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: 1,
    affiliateId: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const Stub = createRoutesStub(
    [
      { path: '/offers/new', Component: NewOffer as never, loader: loader as never, action: action as never },
      { path: '/offers/:id', Component: OfferPage },
    ],
    context,
  );
  render(<Stub initialEntries={['/offers/new']} />);
  return { posted };
}

type User = ReturnType<typeof userEvent.setup>;

/** Puts a whole text in a field at once (typing key by key re-renders the long form each time). */
async function fill(user: User, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

async function fillRequired(user: User) {
  await fill(user, await screen.findByLabelText('Name'), 'Spring sale');
  await fill(user, screen.getByLabelText('Destination URL'), 'https://shop.example.com/?c=');
}

describe('new offer form', () => {
  it('sends money typed as decimals in minor units of the currency, and goes to the new offer', async () => {
    const { posted } = stubFor();
    const user = userEvent.setup();
    await fillRequired(user);
    // The macro helper puts {click_id} where the caret is.
    await user.click(screen.getByRole('button', { name: 'Insert {click_id} into the destination URL' }));
    expect(screen.getByLabelText('Destination URL')).toHaveValue('https://shop.example.com/?c={click_id}');
    await user.selectOptions(screen.getByLabelText('Currency'), 'JPY');
    await fill(user, screen.getByLabelText('Affiliate payout'), '1500');
    await fill(user, screen.getByLabelText('Advertiser revenue'), '2,500');
    expect(screen.getByText('¥1000 per event')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    expect(await screen.findByText('Offer page')).toBeInTheDocument();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      name: 'Spring sale',
      currency: 'JPY',
      payoutType: 'cpa',
      payoutMinor: 1500,
      revenueMinor: 2500,
      destinationUrl: 'https://shop.example.com/?c={click_id}',
      events: ['conversion'],
      defaultEvent: 'conversion',
      landingPages: [],
    });
  });

  it('refuses an amount with more decimals than the currency has, beside the field, without calling the API', async () => {
    const { posted } = stubFor();
    const user = userEvent.setup();
    await fillRequired(user);
    await fill(user, screen.getByLabelText('Affiliate payout'), '12.345');
    await fill(user, screen.getByLabelText('Advertiser revenue'), '20');
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    expect(await screen.findByText('USD has at most 2 decimals')).toBeInTheDocument();
    expect(screen.getByLabelText('Affiliate payout')).toHaveAttribute('aria-invalid', 'true');
    expect(posted).toHaveLength(0);
  });

  it('takes a revenue share as a percentage and sends basis points', async () => {
    const { posted } = stubFor();
    const user = userEvent.setup();
    await fillRequired(user);
    await user.selectOptions(screen.getByLabelText('Payout type'), 'revshare');
    await fill(user, await screen.findByLabelText('Affiliate share'), '12.5');
    await fill(user, screen.getByLabelText('Advertiser share'), '120');
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    expect(await screen.findByText('At most 100%')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Advertiser share'));
    await fill(user, screen.getByLabelText('Advertiser share'), '20');
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    await screen.findByText('Offer page');
    expect(posted[0]).toMatchObject({
      payoutType: 'revshare',
      payoutBps: 1250,
      revenueBps: 2000,
      payoutMinor: 0,
    });
  });

  it('adds weighted landing pages, shows each one’s share of traffic, and reorders them', async () => {
    const { posted } = stubFor();
    const user = userEvent.setup();
    await fillRequired(user);
    await fill(user, screen.getByLabelText('Affiliate payout'), '10');
    await fill(user, screen.getByLabelText('Advertiser revenue'), '15');
    await user.click(screen.getByRole('button', { name: 'Add page' }));
    await user.click(screen.getByRole('button', { name: 'Add page' }));
    const names = screen.getAllByLabelText('Name').slice(1);
    const urls = screen.getAllByLabelText('URL');
    const weights = screen.getAllByLabelText('Weight');
    await fill(user, names[0] as HTMLElement, 'Short form');
    await fill(user, urls[0] as HTMLElement, 'https://shop.example.com/a');
    await user.clear(weights[0] as HTMLElement);
    await fill(user, weights[0] as HTMLElement, '3');
    await fill(user, names[1] as HTMLElement, 'Long form');
    await fill(user, urls[1] as HTMLElement, 'https://shop.example.com/b');
    expect(screen.getByText('75.0%')).toBeInTheDocument();
    expect(screen.getByText('25.0%')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Move page 2 up' }));
    await waitFor(() => expect(screen.getAllByLabelText('Weight')[0]).toHaveValue(1));
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    await screen.findByText('Offer page');
    expect(posted[0]?.landingPages).toEqual([
      { name: 'Long form', url: 'https://shop.example.com/b', weight: 1 },
      { name: 'Short form', url: 'https://shop.example.com/a', weight: 3 },
    ]);
  });

  it('shows what the API refused above the button', async () => {
    stubFor({ refuse: 'destinationUrl: the host is blocked by the network' });
    const user = userEvent.setup();
    await fillRequired(user);
    await fill(user, screen.getByLabelText('Affiliate payout'), '10');
    await fill(user, screen.getByLabelText('Advertiser revenue'), '15');
    await user.click(screen.getByRole('button', { name: 'Create offer' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the host is blocked by the network');
  });
});
